from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from council.models._base import UTCDateTime


class Throttle(SQLModel, table=True):
    """A counter per key and fixed window, shared by every worker through the database.

    Keys name what is counted ("signin:account:<hmac>", "signin:client:<hmac>"); client addresses
    are stored only as a keyed hash, never in clear.
    """

    key: str = Field(primary_key=True, max_length=120)
    window_start: datetime = Field(sa_type=UTCDateTime)
    count: int = 0
