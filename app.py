"""Sunlit (阳光政务) — the Chalice switchboard: blueprints only, no logic (docs/DESIGN.md §4.1)."""
from chalice import Chalice

from chalicelib.handlers import (
    api_catalog,
    api_downloads,
    api_exchange,
    api_hall,
    api_identity,
    api_legal_extra,
    api_ops,
    api_oversight,
    api_public,
    api_runtime,
    api_system,
    audit_export,
    schedule,
    streams,
    tasks,
)

app = Chalice(app_name="sunlit")
app.experimental_feature_flags.update([])
# .xlsx downloads (api_downloads) are binary: API Gateway passes them base64-encoded
app.api.binary_types.append("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

BLUEPRINTS = (api_system, api_identity, api_catalog, api_exchange, api_public, api_hall, api_runtime, api_oversight,
              api_legal_extra, api_ops, api_downloads, streams, schedule, tasks, audit_export)
for blueprint in BLUEPRINTS:
    app.register_blueprint(blueprint.bp)
