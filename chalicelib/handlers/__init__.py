"""The edge: Chalice blueprints by trigger (HTTP routes, streams, task queues, schedules).

Cold start (``bench/cold_start.py``, issue 20): importing ``app`` registers every route and function —
Chalice needs them then — but loads no context. A handler imports the services it calls in its own
body, and a route names its body, query and answer models ``"module:Name"`` when they live in a
context (``http.model_of`` imports them on first use); only a handler module's own query models are
defined at import, unbuilt (``defer_build``). So a request loads the contexts it reaches and nothing
else, and the stream and task functions load only theirs. ``tests/unit/test_import_side_effects.py``
fails when a context's import creeps back to a handler module's top.
"""
