"""/api/v1: the knowledge base, people and teams, the analytics summary, and who the token is.
Each route calls one services/ function with the token's actor; the services check the role."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request

from ticketapp.api.deps import Caller, call, caller
from ticketapp.api.schemas import (
    AnalyticsSummary,
    ArticleCreate,
    ArticleOut,
    ArticleSummaryOut,
    ArticleUpdate,
    MeOut,
    PeoplePage,
    PersonOut,
    TeamCreate,
    TeamOut,
    UserCreate,
)
from ticketapp.services import analytics, auth, directory, kb, routing
from ticketapp.services.actor import require_staff

router = APIRouter()


@router.get("/me", response_model=MeOut, tags=["me"], summary="The token's user")
async def me(who: Caller = Depends(caller)) -> MeOut:
    a = who.actor
    scope = "write" if who.can_write else "read"
    return MeOut(id=a.id, name=a.name, email=a.email, role=a.role, scope=scope)


# --- knowledge base ------------------------------------------------------------------------


@router.get(
    "/kb/articles", response_model=list[ArticleSummaryOut], tags=["kb"], summary="Search articles"
)
async def list_articles(
    request: Request,
    who: Caller = Depends(caller),
    q: str = Query("", max_length=500, description="ranked full-text search; empty: newest"),
    category_id: int | None = None,
    limit: int = Query(20, ge=1, le=kb.MAX_LIMIT),
) -> list[ArticleSummaryOut]:
    """Articles this user may see (requesters: published, public)."""
    if q.strip():
        hits = await call(request, kb.search, who.actor, q, category_id, limit=limit, readonly=True)
        return [ArticleSummaryOut.model_validate(h) for h in hits]
    rows = await call(request, kb.list_articles, who.actor, category_id, limit=limit, readonly=True)
    return [ArticleSummaryOut.model_validate(r) for r in rows]


@router.get("/kb/articles/{slug}", response_model=ArticleOut, tags=["kb"], summary="An article")
async def get_article(request: Request, slug: str, who: Caller = Depends(caller)) -> ArticleOut:
    view = await call(request, kb.get_article, who.actor, slug, readonly=True)
    return ArticleOut.model_validate(view)


@router.post(
    "/kb/articles", status_code=201, response_model=ArticleOut, tags=["kb"], summary="Write one"
)
async def create_article(
    request: Request, body: ArticleCreate, who: Caller = Depends(caller)
) -> ArticleOut:
    """Agents and managers."""

    def work(session):
        article = kb.create_article(session, who.actor, **body.model_dump())
        return kb.get_article(session, who.actor, article.slug)

    return ArticleOut.model_validate(await call(request, work))


@router.patch(
    "/kb/articles/{slug}", response_model=ArticleOut, tags=["kb"], summary="Edit an article"
)
async def update_article(
    request: Request, slug: str, body: ArticleUpdate, who: Caller = Depends(caller)
) -> ArticleOut:
    """Agents and managers; only the fields sent change (the old text is kept as a version)."""

    def work(session):
        require_staff(who.actor)  # before the lookup: a requester learns nothing of drafts
        article = kb.get_article(session, who.actor, slug)
        kb.update_article(session, who.actor, article.id, **body.model_dump(exclude_unset=True))
        return kb.get_article(session, who.actor, slug)

    return ArticleOut.model_validate(await call(request, work))


# --- people and teams ----------------------------------------------------------------------


@router.get("/users", response_model=PeoplePage, tags=["people"], summary="Active users")
async def list_users(
    request: Request,
    who: Caller = Depends(caller),
    q: str = Query("", max_length=100),
    role: str | None = None,
    page: int = Query(1, ge=1, le=1_000_000),
    per_page: int = Query(50, ge=1, le=200),
) -> PeoplePage:
    """Agents and managers."""
    rows, total = await call(
        request, directory.list_people, who.actor, q, role, page, per_page, readonly=True
    )
    return PeoplePage(
        items=[PersonOut.model_validate(p) for p in rows],
        total=total,
        page=page,
        per_page=per_page,
        has_more=page * per_page < total,
    )


@router.post(
    "/users", status_code=201, response_model=PersonOut, tags=["people"], summary="Add a user"
)
async def create_user(
    request: Request, body: UserCreate, who: Caller = Depends(caller)
) -> PersonOut:
    """Managers."""

    def work(session):
        user = auth.create_user(session, who.actor, body.email, body.name, body.password, body.role)
        return PersonOut(id=user.id, name=user.name, email=user.email, role=user.role)

    return await call(request, work)


@router.get("/teams", response_model=list[TeamOut], tags=["people"], summary="Teams")
async def list_teams(request: Request, who: Caller = Depends(caller)) -> list[TeamOut]:
    """Agents and managers."""
    rows = await call(request, routing.list_teams, who.actor, readonly=True)
    return [TeamOut.model_validate(t) for t in rows]


@router.post(
    "/teams", status_code=201, response_model=TeamOut, tags=["people"], summary="Add a team"
)
async def create_team(request: Request, body: TeamCreate, who: Caller = Depends(caller)) -> TeamOut:
    """Managers."""
    team = await call(request, routing.create_team, who.actor, body.name, body.description)
    return TeamOut.model_validate(team)


# --- analytics -----------------------------------------------------------------------------


@router.get(
    "/analytics/summary",
    response_model=AnalyticsSummary,
    tags=["analytics"],
    summary="Help-desk KPIs",
)
async def analytics_summary(
    request: Request,
    who: Caller = Depends(caller),
    period: str = Query("30", max_length=10, description='"7", "30", "90" or "custom"'),
    start: str | None = Query(None, max_length=10, description="YYYY-MM-DD (custom)"),
    end: str | None = Query(None, max_length=10, description="YYYY-MM-DD (custom)"),
    team_id: int | None = None,
    category_id: int | None = None,
) -> AnalyticsSummary:
    """Managers: the dashboard's numbers for a period (days in the configured time zone)."""
    params = {
        "period": period,
        "start": start,
        "end": end,
        "team": team_id,
        "category": category_id,
    }

    def work(session):
        tz = analytics.zone()
        filters = analytics.parse_filters(
            {k: v for k, v in params.items() if v is not None}, analytics.local_today(tz)
        )
        return analytics.dashboard(session, who.actor, filters)

    d = await call(request, work, readonly=True)
    return AnalyticsSummary(
        start=d.start,
        end=d.end,
        timezone=d.timezone,
        metrics=d.metrics,
        by_status=d.by_status,
        by_priority=d.by_priority,
    )
