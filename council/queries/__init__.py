"""Read-only selects, one module per noun. Each page's queries are few and bounded, whatever its
size; an `access_<noun>(session, user, id)` fetches a thing and checks that the person may see
it in one call, and answers NotFound for both "missing" and "not yours" (after Zulip's
`access_stream_by_id`), so an id reveals nothing."""


class NotFound(Exception):
    """Missing, or not this person's to see: the same answer for both (a 404)."""
