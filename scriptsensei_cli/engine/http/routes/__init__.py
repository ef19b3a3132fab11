"""HTTP routers, one module per service."""
