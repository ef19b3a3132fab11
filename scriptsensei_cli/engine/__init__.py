"""The engine: ScriptSensei's reference backend (FastAPI + Socket.IO), served on loopback or as a server."""
