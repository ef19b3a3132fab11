"""ScriptSensei CLI: batch short-video production from the command line."""

__version__ = "0.1.0"
