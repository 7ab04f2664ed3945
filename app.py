"""Sunlit (阳光政务) — the Chalice switchboard: blueprints only, no logic (docs/DESIGN.md §4.1)."""
import gc

# Cold start (bench/cold_start.py): no garbage collection while the imports below create their
# objects — they all live as long as the function, so the collector's passes over them (~12 ms of
# CPU here) find nothing; frozen afterwards, later collections in warm invocations skip them too.
gc.disable()

from chalice import Chalice  # noqa: E402

from chalicelib.handlers import (  # noqa: E402
    api_attachments,
    api_board,
    api_catalog,
    api_disclosure,
    api_downloads,
    api_exchange,
    api_hall,
    api_identity,
    api_legal_extra,
    api_ops,
    api_oversight,
    api_public,
    api_runtime,
    api_servicepoints,
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
              api_legal_extra, api_ops, api_downloads, api_disclosure, api_attachments, api_board,
              api_servicepoints, streams, schedule,
              tasks, audit_export)
for blueprint in BLUEPRINTS:
    app.register_blueprint(blueprint.bp)

gc.freeze()
gc.enable()
