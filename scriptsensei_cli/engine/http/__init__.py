"""The engine as HTTP: routers (one module per service), the request context (who is asking), the one
mapping of domain errors to statuses and the seed's error body, idempotency keys, streamed uploads,
and Socket.IO. Routes parse and authorize, then call a service; they hold no business rules.
"""
