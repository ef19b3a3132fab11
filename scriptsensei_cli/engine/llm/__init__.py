"""LLM providers for script writing: wire clients, classified errors, the fallback chain, the cache."""
