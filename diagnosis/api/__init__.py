"""The JSON API under /api/v1 (APIFlask, Pydantic models, OpenAPI 3.1 at /api/v1/openapi.json).

``routes`` gathers the blueprints (the web package registers them with the others); ``setup`` holds
what is app-wide (the path-aware error handlers, the OpenAPI settings). Every route calls the service
and access functions the HTML views use.
"""
