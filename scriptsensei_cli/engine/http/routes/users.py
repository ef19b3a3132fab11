"""/api/v1/users: account management, for administrators only (403 for everyone else)."""

from __future__ import annotations

from fastapi import APIRouter

from ....contract import DEFAULT_PAGE_LIMIT, UserCreate, UserList, UserPassword, UserUpdate
from ....contract import User as UserOut
from ...services import users as service
from ..context import AdminUser, Context
from ..paging import Limit, Page

router = APIRouter(prefix="/users", tags=["users"])


@router.get("", response_model=UserList)
def list_users(
    admin: AdminUser,
    context: Context,
    page: Page = 1,
    limit: Limit = DEFAULT_PAGE_LIMIT,
) -> UserList:
    return service.list_users(context.db, page=page, limit=limit)


@router.post("", response_model=UserPassword, status_code=201)
def add_user(body: UserCreate, admin: AdminUser, context: Context) -> UserPassword:
    """Create an account with a generated first password, returned in this response only."""
    return service.add_user(context.db, body)


@router.patch("/{user_ref}", response_model=UserOut)
def update_user(user_ref: str, body: UserUpdate, admin: AdminUser, context: Context) -> UserOut:
    """Rename an account or change its admin flag; the last administrator keeps it (409)."""
    return service.update_user(context.db, user_ref, body)


@router.post("/{user_ref}/disable", response_model=UserOut)
def disable_user(user_ref: str, admin: AdminUser, context: Context) -> UserOut:
    """Disable an account and revoke its logins and API tokens: refused at once on every node."""
    return service.disable_user(context.db, admin.id, user_ref)


@router.post("/{user_ref}/enable", response_model=UserOut)
def enable_user(user_ref: str, admin: AdminUser, context: Context) -> UserOut:
    return service.enable_user(context.db, user_ref)


@router.post("/{user_ref}/reset-password", response_model=UserPassword)
def reset_password(user_ref: str, admin: AdminUser, context: Context) -> UserPassword:
    """A new generated password, returned in this response only; the account's logins end."""
    return service.reset_password(context.db, user_ref)
