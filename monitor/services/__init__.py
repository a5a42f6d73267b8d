"""Services: read from storage, call the pure domain, write back. One module per use case."""
