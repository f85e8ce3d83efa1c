"""/people/[person_id]: a requester's profile for agents and managers: contact details,
organisation (managers change it), every ticket they filed, their satisfaction ratings, and the
notes staff keep about them.

Modules: state.py (RequesterProfileState and its TypedDicts), page.py (requester_profile_page)
and notes.py (the notes panel).
"""

from ticketapp.pages.requester_profile.page import requester_profile_page
from ticketapp.pages.requester_profile.state import RequesterProfileState

__all__ = ["RequesterProfileState", "requester_profile_page"]
