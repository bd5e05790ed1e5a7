"""The shared core: missions, places, organizations, and who may see which mission."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bluehelmet.analytics.geo import priogrid_gid

from .names import search_names_for


class Place(models.Model):
    """Anywhere something happens: an admin area (with GeoJSON geometry) or a point site.

    Admin areas nest country > admin 1 > admin 2 > admin 3 through `parent`. A point's
    `parent` is the deepest admin area that contains it, so it knows all its admin areas.
    `key` is the natural key importers use to stay idempotent. `pcode` is the area's
    P-code from OCHA's common operational datasets ("CF52" for Haute-Kotto), unique within a
    country when set: a place identifier as good as the name in imports, exports and the API.
    A `locality` is a named town or village of the gazetteer (GeoNames), keyed
    "geonames:<id>", with its population: searched and labelled on the maps, never a mission
    site (not one of POINT_KINDS). `search_names` holds every name of a place folded for
    search (core.names), so "mbaiki" finds "Mbaïki" with one indexed query on any database.
    `geometry` is the full-resolution polygon (point-in-polygon); `outline` a simplified copy
    of it for browsers (made on import: the full one is megabytes for some countries).
    """

    class Kind(models.TextChoices):
        COUNTRY = "country", _("Country")
        ADM1 = "adm1", _("Admin level 1")
        ADM2 = "adm2", _("Admin level 2")
        ADM3 = "adm3", _("Admin level 3")
        SITE = "site", _("Site")
        BASE = "base", _("Base")
        LOCALITY = "locality", _("Locality")

    AREA_KINDS = (Kind.COUNTRY, Kind.ADM1, Kind.ADM2, Kind.ADM3)
    # Where a mission is deployed: sites and bases (the gazetteer's localities are not).
    POINT_KINDS = (Kind.SITE, Kind.BASE)
    # What a place search offers: the admin areas and the gazetteer's towns and villages.
    SEARCHABLE_KINDS = (*AREA_KINDS, Kind.LOCALITY)

    key = models.CharField(max_length=255, unique=True, verbose_name=_("natural key"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, db_index=True)
    name = models.CharField(_("name"), max_length=200, db_index=True)
    code = models.CharField(
        _("code"), max_length=50, blank=True, help_text=_("e.g. Gleditsch-Ward number or boundary id")
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("parent")
    )
    # The country a place lies in (itself for a country): one join to scope any place to a mission.
    country = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("country")
    )
    pcode = models.CharField(
        _("P-code"), max_length=20, blank=True, db_index=True, help_text=_("OCHA place code, e.g. CF52")
    )
    geometry = models.JSONField(_("geometry"), null=True, blank=True, help_text=_("GeoJSON geometry of an area"))
    outline = models.JSONField(
        _("outline"), null=True, blank=True, help_text=_("simplified geometry, drawn on the maps")
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    priogrid_gid = models.IntegerField(_("PRIO-GRID cell"), null=True, blank=True, db_index=True)
    # Bounding box of an area, so point-in-area searches can skip most areas cheaply.
    min_lon = models.FloatField(null=True, blank=True, verbose_name=_("minimum longitude"))
    min_lat = models.FloatField(null=True, blank=True, verbose_name=_("minimum latitude"))
    max_lon = models.FloatField(null=True, blank=True, verbose_name=_("maximum longitude"))
    max_lat = models.FloatField(null=True, blank=True, verbose_name=_("maximum latitude"))
    # Not `population`: forces.PlacePopulation (a planner's figure with its source) has that name.
    gazetteer_population = models.PositiveBigIntegerField(
        _("population (gazetteer)"), null=True, blank=True, help_text=_("as given by GeoNames, for localities")
    )
    search_names = models.TextField(
        _("names for search"), blank=True, editable=False, help_text=_("every name of the place, folded for search")
    )

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "pcode"], condition=~models.Q(pcode=""), name="one_place_per_pcode_per_country"
            )
        ]
        verbose_name = _("place")
        verbose_name_plural = _("places")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if self.latitude is not None and self.longitude is not None:
            self.priogrid_gid = priogrid_gid(self.latitude, self.longitude)
        if not self.search_names.startswith(search_names_for([self.name])):
            self.search_names = search_names_for([self.name])
        super().save(*args, **kwargs)

    @property
    def is_area(self) -> bool:
        return self.kind in self.AREA_KINDS

    @property
    def map_geometry(self) -> dict | None:
        """What a map draws: the simplified outline, else the full geometry."""
        return self.outline or self.geometry

    def admin_areas(self) -> list["Place"]:
        """The admin areas this place lies in, innermost first (a country last)."""
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain


class Organization(models.Model):
    """Member states, UN entities, NGOs, local associations, government bodies, armed groups."""

    class Kind(models.TextChoices):
        MEMBER_STATE = "member_state", _("Member state")
        UN_ENTITY = "un_entity", _("UN entity")
        NGO = "ngo", _("NGO")
        LOCAL_ASSOCIATION = "local_association", _("Local association")
        GOVERNMENT = "government", _("Government body")
        ARMED_GROUP = "armed_group", _("Armed group / conflict party")
        OTHER = "other", _("Other")

    key = models.CharField(
        max_length=255,
        unique=True,
        help_text=_("natural key, e.g. ucdp:90 or state:Nepal"),
        verbose_name=_("natural key"),
    )
    name = models.CharField(_("name"), max_length=300, db_index=True)
    acronym = models.CharField(_("acronym"), max_length=50, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    country = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="organizations", verbose_name=_("country")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return self.name


class Mission(models.Model):
    acronym = models.CharField(_("acronym"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=300)
    mandate = models.TextField(_("mandate"), blank=True)
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True, help_text=_("empty while the mission is active"))
    host_countries = models.ManyToManyField(
        Place,
        blank=True,
        related_name="missions_hosted",
        limit_choices_to={"kind": Place.Kind.COUNTRY},
        verbose_name=_("host countries"),
    )
    area_of_operations = models.ManyToManyField(
        Place,
        blank=True,
        related_name="missions_operating",
        limit_choices_to={"kind__in": Place.AREA_KINDS},
        verbose_name=_("area of operations"),
        help_text=_("admin areas; the host countries when empty"),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="missions", verbose_name=_("members")
    )
    # Raised whenever reference data filing a report looks up changes (incident types, zones,
    # alert rules, admin areas): per-process caches keyed by it stay right in every process,
    # and the stamp comes with the mission row each request loads anyway (core.mission_cache).
    lookups_version = models.PositiveBigIntegerField(_("reference data version"), default=0, editable=False)

    class Meta:
        ordering = ["acronym"]
        verbose_name = _("mission")
        verbose_name_plural = _("missions")

    def __str__(self) -> str:
        return self.acronym

    def save(self, *args, **kwargs):
        # The stamp is only ever raised by an UPDATE of its own (core.mission_cache.changed): an
        # edit of a mission loaded before a change must not write the former stamp back.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.name != "lookups_version"
            ]
        super().save(*args, **kwargs)


class Role(models.TextChoices):
    """What a member may do in a mission. Ordered from most to least powerful."""

    ADMINISTRATOR = "administrator", _("Administrator")
    ANALYST = "analyst", _("Analyst")
    REPORTER = "reporter", _("Reporter")
    DDR_OFFICER = "ddr_officer", _("DDR officer")
    CIVIL_AFFAIRS = "civil_affairs", _("Civil affairs officer")
    HUMANITARIAN = "humanitarian", _("Humanitarian officer")
    PARTNER = "partner", _("Partner (read-only, shared data)")


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("mission")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "mission"], name="one_role_per_mission")]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} - {self.mission} ({self.get_role_display()})"


class Team(models.Model):
    """A unit, cell or team of a mission that work can be assigned to (a response task's
    assignee when it is not one person). Its members are users of the mission; apps above
    core (forces' units, civil affairs' teams) may keep one Team per record of theirs by `code`."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="teams", verbose_name=_("mission"))
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(
        _("code"), max_length=50, blank=True, help_text=_("optional: the unit's code, e.g. BANBATT-1")
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="teams", verbose_name=_("members")
    )

    class Meta:
        ordering = ["mission", "name"]
        constraints = [models.UniqueConstraint(fields=["mission", "name"], name="one_team_name_per_mission")]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class Sharing(models.TextChoices):
    """Who beyond mission staff may see a record. Partners see only `public`."""

    PUBLIC = "public", _("Public / shared with partners")
    MISSION = "mission", _("Mission staff only")


class SensitiveAccess(models.Model):
    """One view or export of sensitive personal data (sources, informants, DDR participants,
    partners' contacts). Written through core.audit.log_sensitive_access; never edited."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("user")
    )
    # Who looked, by name, written with the row: deleting the account empties `user`, never this.
    username = models.CharField(_("user name"), max_length=150, blank=True, editable=False, db_index=True)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    mission = models.ForeignKey(
        Mission, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("mission")
    )
    record_type = models.CharField(_("record type"), max_length=100)
    record_id = models.CharField(_("record id"), max_length=64)
    action = models.CharField(_("action"), max_length=20, default="view")
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    # The detail as logged in English (`detail` above, stable for exports) can be read in the
    # reader's language: its message (marked with gettext_noop) and values (see core.audit.detail).
    detail_message = models.JSONField(_("detail to translate"), default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("sensitive data access")
        verbose_name_plural = _("sensitive data accesses")

    def __str__(self) -> str:
        return f"{self.who} {self.action} {self.record_type} {self.record_id} at {self.at:%Y-%m-%d %H:%M}"

    @property
    def who(self) -> str:
        """The user name as written with the row (kept when the account is deleted)."""
        return self.username or (self.user.get_username() if self.user_id else "")

    def save(self, *args, **kwargs):
        if not self.username and self.user_id:
            self.username = self.user.get_username()
        super().save(*args, **kwargs)

    def translated_detail(self) -> str:
        """The detail in the active language when it was logged as a message, else as logged."""
        from django.utils.translation import gettext

        message, params = (self.detail_message or {}).get("message"), (self.detail_message or {}).get("params") or {}
        if not message:
            return self.detail
        try:
            return gettext(message) % params
        except (KeyError, TypeError, ValueError):  # a message changed since it was logged
            return self.detail


class Comment(models.Model):
    """One message of the discussion on a record (an incident, an alert, a response task, an
    engagement...), kept append-only: a comment is never edited; its author or a mission
    administrator may withdraw it, which keeps the row (who, when) and hides the text.

    A comment has no label of its own: it is read only through its record's registry entry
    (core.comments), which asks the record's app whether the reader may see the record, so it
    is always under the record's current label (a record relabelled RED hides its comments at
    once, with nothing to keep in step). Write and read through core.comments, never directly."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="+", verbose_name=_("mission"))
    # The record discussed, by model label ("incidents.incident") and primary key.
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, related_name="+", verbose_name=_("record type")
    )
    object_id = models.PositiveBigIntegerField(_("record id"))
    # One level of replies: a reply to a reply is filed under the first comment of the thread.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies", verbose_name=_("reply to")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("author")
    )
    # The author's name as written with the row: deleting the account empties `author`, never this.
    author_name = models.CharField(_("author's name"), max_length=150, editable=False)
    body = models.TextField(_("comment"), max_length=4000)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True, db_index=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"], name="comment_record")]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return f"{self.author_name} on {self.content_type_id}:{self.object_id} at {self.created_at:%Y-%m-%d %H:%M}"


class Mention(models.Model):
    """A user named with @username in a comment: a notice in their inbox until they read it."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="mentions", verbose_name=_("comment"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentions", verbose_name=_("user")
    )
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["comment", "user"], name="one_mention_per_user")]
        indexes = [models.Index(fields=["user", "read_at"], name="mention_unread")]
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")

    def __str__(self) -> str:
        return f"@{self.user_id} in comment {self.comment_id}"


class SearchEntry(models.Model):
    """One searchable record in the search index (core.search): where to find it, the words it
    is found by, and its text as written for the results' snippets.

    The index only proposes candidates: every result is checked again against the record's
    own gate-filtered queryset before anything of it is shown (core.search). `mission` is empty
    for records that belong to no one mission (places, actors): they are checked in each of
    the user's missions. `terms` holds the folded and stemmed words (French and English); it
    is what the database's full-text engine indexes: an FTS5 table on SQLite, a GIN index on
    its text-search vector on PostgreSQL (migration 0012).
    """

    kind = models.CharField(_("kind"), max_length=60)
    object_id = models.PositiveBigIntegerField(_("record id"))
    mission = models.ForeignKey(
        Mission, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("mission")
    )
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    terms = models.TextField(_("search terms"), blank=True)
    updated_at = models.DateTimeField(_("indexed at"), auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="one_search_entry_per_record")]
        indexes = [models.Index(fields=["mission", "kind"])]
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
