"""Geo-PKO v1.2 location-month CSV: one row per site per UN deployment map.

Readings of the source's conventions:
- `No.troops` "unknown" (or "NA", or the typo "unkown") is stored as None, never 0; so are the per-country
  troop numbers and `No.TCC`.
- `UNPOL..dummy.`, `UNMO..dummy.` and `LO` are 0/1; "NA" (the map does not say) is read
  as not present, as the booleans cannot be empty.
- `HQ` "" or "?" is None.
- A map can list the same site more than once in a month (separate units): the rows get
  sequence 1, 2, ... in file order, so importing the file again finds the same rows.
- A row with no coordinates at all ("NA", e.g. a location "unclear") cannot be placed and
  is skipped with a warning; one coordinate without the other is an error.
- A contributing country named "unknown" is not an organization: its troops are only in the
  row's total. A country listed twice on one row is merged (troops summed; unknown if
  either is unknown).
"""

from collections import Counter

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bluehelmet.core.models import Organization, Sharing
from bluehelmet.core.places import canonical_country_name
from bluehelmet.importers.base import CsvImporter, Row, update_rows, upsert
from bluehelmet.importers.lookups import SiteSet, member_state_key, missions_by_acronym, organizations_by_key

from ..models import Deployment, DeploymentContribution

UNKNOWN = ("", "NA", "unknown", "unkown")  # "unkown": one cell of v1.2 has the typo
DEPLOYMENT_FIELDS = [
    "sharing",
    "troops",
    "contributor_count",
    "police",
    "observers",
    "headquarters",
    "liaison_office",
    "reserve_troops",
    "force_protection_troops",
    "comments",
]


class GeoPkoImporter(CsvImporter):
    kind = "geopko"
    label = gettext_lazy("Geo-PKO v1.2 deployments, location-month (CSV)")
    option_names = ("mission",)
    required_columns = (
        "Source",
        "Mission",
        "year",
        "month",
        "location",
        "country",
        "latitude",
        "longitude",
        "No.troops",
        "RES_No",
        "FP_No",
        "No.TCC",
        "name.of.TCC1",
        "No.troops.per.TCC1",
        "UNPOL..dummy.",
        "UNMO..dummy.",
        "HQ",
        "LO",
        "comments",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sequences: Counter = Counter()
        self.sites = SiteSet()
        self.site_missions: dict[str, str] = {}
        self.unnamed_contributions = 0
        self.other_missions = 0

    def parse(self, row: Row) -> dict | None:
        mission = row.text("Mission", 30, required=True)
        if "mission" in self.options and mission != self.options["mission"]:
            self.other_missions += 1
            return None
        location = row.text("location", 200, required=True)
        if row.raw("latitude").strip() in ("", "NA") and row.raw("longitude").strip() in ("", "NA"):
            self.warn(_("row %(row)d: no coordinates for %(place)r; skipped") % {"row": row.number, "place": location})
            return None
        latitude, longitude = row.latitude("latitude"), row.longitude("longitude")
        month = row.month("year", "month")
        source = row.text("Source", 100)
        deployment = {
            "sharing": Sharing.PUBLIC,
            "source": source,
            "troops": row.int("No.troops", nulls=UNKNOWN, minimum=0),
            "contributor_count": row.int("No.TCC", nulls=UNKNOWN, minimum=0),
            "police": bool(row.flag("UNPOL..dummy.")),
            "observers": bool(row.flag("UNMO..dummy.")),
            "headquarters": row.int("HQ", nulls=("", "?", "NA"), minimum=0, maximum=3),
            "liaison_office": bool(row.flag("LO")),
            "reserve_troops": row.int("RES_No", nulls=UNKNOWN, minimum=0),
            "force_protection_troops": row.int("FP_No", nulls=UNKNOWN, minimum=0),
            "comments": row.text("comments"),
            "contributions": self._contributions(row),
        }
        if row.failed:
            return None
        key = self.sites.add(location, latitude, longitude, row.text("country"), seen=(month,))
        self.site_missions.setdefault(key, mission)
        self.sequences[(mission, key, month, source)] += 1
        deployment.update(
            mission=mission, site=key, month=month, sequence=self.sequences[(mission, key, month, source)]
        )
        return deployment

    def _contributions(self, row: Row) -> dict[str, int | None]:
        troops_by_country: dict[str, int | None] = {}
        n = 1
        while f"name.of.TCC{n}" in row.index and f"No.troops.per.TCC{n}" in row.index:
            name = row.text(f"name.of.TCC{n}", 200, nulls=("", "NA"))
            troops = row.int(f"No.troops.per.TCC{n}", nulls=UNKNOWN, minimum=0)
            n += 1
            if not name:
                continue
            if name.lower() == "unknown":
                self.unnamed_contributions += 1
                continue
            name = canonical_country_name(name)
            if name in troops_by_country:
                previous = troops_by_country[name]
                troops = None if previous is None or troops is None else previous + troops
                self.warn(
                    _("row %(row)d: %(country)s listed twice; troops merged") % {"row": row.number, "country": name}
                )
            troops_by_country[name] = troops
        return troops_by_country

    def check_all(self) -> None:
        if "mission" in self.options and not self.kept:
            self.errors.add(None, "Mission", self.options["mission"], _("no rows for this mission in the file"))

    def write(self, deployments: list[dict]) -> None:
        self.summary.count("rows of other missions skipped", self.other_missions)
        if self.unnamed_contributions:
            self.warn(
                _('%(n)d contribution(s) by a country named "unknown" are counted only in the site totals')
                % {"n": self.unnamed_contributions}
            )
        mission_ids = missions_by_acronym({d["mission"] for d in deployments}, self.summary)
        site_ids = self.sites.save(self.summary, mission_ids, self.site_missions)
        states = {name for d in deployments for name in d["contributions"]}
        state_ids = organizations_by_key(
            {member_state_key(name): (name, Organization.Kind.MEMBER_STATE) for name in states}, self.summary
        )
        records, contributions = [], {}
        for d in deployments:
            record = {field: d[field] for field in DEPLOYMENT_FIELDS}
            record.update(
                mission_id=mission_ids[d["mission"]],
                site_id=site_ids[d["site"]],
                month=d["month"],
                source=d["source"],
                sequence=d["sequence"],
            )
            records.append(record)
            key = (record["mission_id"], record["site_id"], d["month"], d["source"], d["sequence"])
            contributions[key] = {
                state_ids[member_state_key(name)]: troops for name, troops in d["contributions"].items()
            }
        result = upsert(
            Deployment,
            ("mission_id", "site_id", "month", "source", "sequence"),
            records,
            DEPLOYMENT_FIELDS,
            existing=Deployment.objects.filter(mission_id__in=mission_ids.values()),
            summary=self.summary,
        )
        changed = sync_contributions({result.pks[key]: wanted for key, wanted in contributions.items()}, self.summary)
        # A deployment whose only change is in its contributions counts as updated too.
        newly_updated = {key for key in contributions if result.pks[key] in changed} - result.created - result.updated
        self.summary.updated += len(newly_updated)
        self.summary.unchanged -= len(newly_updated)


def sync_contributions(wanted: dict[int, dict[int, int | None]], summary) -> set[int]:
    """Make each deployment's contributions exactly `wanted` (deployment id -> country id ->
    troops). Returns the ids of deployments whose contributions changed."""
    existing: dict[int, dict[int, tuple[int, int | None]]] = {}
    rows = DeploymentContribution.objects.filter(deployment_id__in=wanted).values_list(
        "pk", "deployment_id", "country_id", "troops"
    )
    for pk, deployment_id, country_id, troops in rows:
        existing.setdefault(deployment_id, {})[country_id] = (pk, troops)
    to_create, to_update, to_delete, changed = [], [], [], set()
    for deployment_id, countries in wanted.items():
        have = existing.get(deployment_id, {})
        for country_id, troops in countries.items():
            if country_id not in have:
                to_create.append(
                    DeploymentContribution(deployment_id=deployment_id, country_id=country_id, troops=troops)
                )
                changed.add(deployment_id)
            elif have[country_id][1] != troops:
                to_update.append((have[country_id][0], {"troops": troops}))
                changed.add(deployment_id)
        for country_id, (pk, _troops) in have.items():
            if country_id not in countries:
                to_delete.append(pk)
                changed.add(deployment_id)
    DeploymentContribution.objects.bulk_create(to_create, batch_size=2000)
    update_rows(DeploymentContribution, to_update, ["troops"])
    DeploymentContribution.objects.filter(pk__in=to_delete).delete()
    summary.count("troop contributions created", len(to_create))
    summary.count("troop contributions updated", len(to_update))
    summary.count("troop contributions removed", len(to_delete))
    return changed
