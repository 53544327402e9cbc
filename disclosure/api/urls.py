"""/api/v1/: the institutions' API. Unknown paths fall through to the collectors' JSON 404, and
`feeds/<kind>` (the departments' push channel) is theirs: nothing here may match it."""

from django.urls import path

from . import docs, joint, views

app_name = "api"

urlpatterns = [
    path("", docs.ApiIndexView.as_view(), name="index"),
    path("subjects/<str:uscc>", views.SubjectView.as_view(), name="subject"),
    path("search", views.SearchView.as_view(), name="search"),
    path("check", views.CheckView.as_view(), name="check"),
    path("watchlists", views.WatchlistsView.as_view(), name="watchlists"),
    path("watchlists/<int:id>", views.WatchlistView.as_view(), name="watchlist"),
    path("watchlists/<int:id>/subjects", views.WatchlistSubjectsView.as_view(), name="watchlist-subjects"),
    path(
        "watchlists/<int:id>/subjects/<str:uscc>",
        views.WatchedSubjectView.as_view(),
        name="watched-subject",
    ),
    path("events", views.EventsView.as_view(), name="events"),
    path("joint-uses", joint.JointUsesView.as_view(), name="joint-uses"),
    path("joint-checks", joint.JointChecksView.as_view(), name="joint-checks"),
    path("joint-checks/<int:id>", joint.JointCheckView.as_view(), name="joint-check"),
    path("joint-checks/<int:id>/outcome", joint.JointOutcomeView.as_view(), name="joint-outcome"),
    path("schema", views.SchemaView.as_view(), name="schema"),
]
