"""The API contract: pydantic models shared by the client and the engine (DESIGN.md §2)."""

from .auth import (
    ApiToken,
    ApiTokenCreate,
    ApiTokenCreated,
    ApiTokenList,
    LoginRequest,
    LogoutRequest,
    RefreshRequest,
    RegisterRequest,
    TokenPair,
    User,
)
from .common import DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, Health, ListEnvelope
from .errors import ErrorBody, ErrorCode
from .platforms import PLATFORMS, Platform, PlatformSpec
from .scripts import (
    GenerateScriptRequest,
    QualityScores,
    Script,
    ScriptList,
    ScriptSections,
    ScriptStreamEvent,
    ScriptUpdate,
    Template,
    TemplateList,
    Tone,
)

__all__ = [
    "DEFAULT_PAGE_LIMIT",
    "MAX_PAGE_LIMIT",
    "PLATFORMS",
    "ApiToken",
    "ApiTokenCreate",
    "ApiTokenCreated",
    "ApiTokenList",
    "ErrorBody",
    "ErrorCode",
    "GenerateScriptRequest",
    "Health",
    "ListEnvelope",
    "LoginRequest",
    "LogoutRequest",
    "Platform",
    "PlatformSpec",
    "QualityScores",
    "RefreshRequest",
    "RegisterRequest",
    "Script",
    "ScriptList",
    "ScriptSections",
    "ScriptStreamEvent",
    "ScriptUpdate",
    "Template",
    "TemplateList",
    "TokenPair",
    "Tone",
    "User",
]
