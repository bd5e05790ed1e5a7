"""Sierra Leone districts and chiefdoms (real names, square shapes) for humanitarian tests,
and a helper writing HXL files."""

import pytest

from bluehelmet.core.models import Place


def square(lon, lat, size=0.3):
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def districts(country):
    made = {}
    for i, name in enumerate(("Kailahun", "Kenema", "Kono", "Western Area Rural")):
        made[name] = Place.objects.create(
            key=f"adm2:Sierra Leone:{name}",
            kind=Place.Kind.ADM2,
            name=name,
            parent=country,
            country=country,
            geometry=square(-13 + i, 8),
        )
    made["Nongowa"] = Place.objects.create(
        key="adm3:Sierra Leone:Kenema:Nongowa",
        kind=Place.Kind.ADM3,
        name="Nongowa",
        parent=made["Kenema"],
        country=country,
    )
    return made


@pytest.fixture
def hxl_file(tmp_path):
    def write(text: str, name: str = "file.csv"):
        path = tmp_path / name
        path.write_text(text.strip() + "\n", encoding="utf-8")
        return path

    return write


THREE_W = """
Organisation,Sector,District,Chiefdom,Extra column,Start,End,Status,Targeted,Targeted F,Targeted M,Reached
#org+name,#sector,#adm2+name,#adm3+name,,#date+start,#date+end,#status,#targeted,#targeted+f,#targeted+m,#reached
World Food Programme,Food Security,Kenema,,x,2001-03-01,2001-06-30,Completed,"2,000",1100,900,1500
UNICEF,WASH,Kenema,Nongowa,y,2001-04-01,,Ongoing,800,,,300
MSF,Health,Kailahun,,z,2001-05,2001-09,Planned,500,,,
"""

NEEDS = """
District,Sector,In need,Severity,Date
#adm2+name,#sector,#inneed,#severity,#date
Kenema,Food Security,3000,4,2001-02-15
Kenema,WASH,1000,3,2001-02-15
Kailahun,Health,4000,5,2001-02-15
"""
