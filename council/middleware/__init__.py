"""Pure ASGI middleware only: Starlette's BaseHTTPMiddleware breaks context variables
(the locale)."""
