"""One module per API service."""
