"""Course catalogs by school level: the courses, the ones each grade takes, and the electives."""

from __future__ import annotations

from dataclasses import dataclass, field

Choice = tuple[tuple[str, float], ...]  # alternatives (course code, probability) for one slot


@dataclass(frozen=True)
class Course:
    """One course of a school's catalog."""

    code: str
    title: str
    subject: str
    class_type: str = "scheduled"


@dataclass(frozen=True)
class Level:
    """A school level (elementary, middle, high): grades, courses, required slots, electives."""

    name: str
    grades: tuple[str, ...]
    courses: dict[str, Course]
    required: dict[str, tuple[Choice, ...]]
    electives: tuple[str, ...]
    grades_of: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        """Work out which grades each course is for."""
        found: dict[str, list[str]] = {code: [] for code in self.courses}
        for grade in self.grades:
            for slot in self.required[grade]:
                for code, _ in slot:
                    if grade not in found[code]:
                        found[code].append(grade)
        for code in self.electives:
            found[code] = list(self.grades)
        self.grades_of.update({code: tuple(g) for code, g in found.items()})


def _courses(*rows: tuple[str, str, str]) -> dict[str, Course]:
    """Build a code → Course map from (code, title, subject) rows."""
    return {code: Course(code, title, subject) for code, title, subject in rows}


def _one(code: str) -> Choice:
    """A slot with a single course."""
    return ((code, 1.0),)


ELA, MATH, SCI, SOC = "English Language Arts", "Mathematics", "Science", "Social Studies"
PE, ARTS, LANG, CS, CTE = (
    "Physical Education",
    "Fine Arts",
    "World Languages",
    "Computer Science",
    "Career and Technical Education",
)

HIGH = Level(
    name="high",
    grades=("09", "10", "11", "12"),
    courses=_courses(
        ("ENG09", "English 9", ELA),
        ("ENG10", "English 10", ELA),
        ("ENG11", "English 11", ELA),
        ("ENG12", "English 12", ELA),
        ("ALG1", "Algebra I", MATH),
        ("GEOM", "Geometry", MATH),
        ("ALG2", "Algebra II", MATH),
        ("PRECALC", "Precalculus", MATH),
        ("APCALCAB", "AP Calculus AB", MATH),
        ("STATS", "Statistics", MATH),
        ("BIO", "Biology", SCI),
        ("ESCI", "Earth Science", SCI),
        ("CHEM", "Chemistry", SCI),
        ("PHYS", "Physics", SCI),
        ("APBIO", "AP Biology", SCI),
        ("ENVSCI", "Environmental Science", SCI),
        ("WGEO", "World Geography", SOC),
        ("WHIST", "World History", SOC),
        ("USHIST", "U.S. History", SOC),
        ("APUSH", "AP U.S. History", SOC),
        ("GOVT", "American Government", SOC),
        ("ECON", "Economics", SOC),
        ("PE", "Physical Education", PE),
        ("HEALTH", "Health", PE),
        ("SPAN1", "Spanish I", LANG),
        ("SPAN2", "Spanish II", LANG),
        ("SPAN3", "Spanish III", LANG),
        ("FREN1", "French I", LANG),
        ("FREN2", "French II", LANG),
        ("ART1", "Art I", ARTS),
        ("CERAM", "Ceramics", ARTS),
        ("BAND", "Concert Band", ARTS),
        ("CHOIR", "Choir", ARTS),
        ("THEA", "Theater Arts", ARTS),
        ("CSP", "Computer Science Principles", CS),
        ("ROBOT", "Robotics", CS),
        ("JOUR", "Journalism", CTE),
        ("PSYCH", "Psychology", SOC),
        ("PHOTO", "Digital Photography", CTE),
        ("CULIN", "Culinary Arts", CTE),
        ("YRBK", "Yearbook", CTE),
    ),
    required={
        "09": (
            _one("ENG09"),
            (("ALG1", 0.7), ("GEOM", 0.3)),
            (("BIO", 0.6), ("ESCI", 0.4)),
            (("WGEO", 0.5), ("WHIST", 0.5)),
            _one("PE"),
        ),
        "10": (
            _one("ENG10"),
            (("GEOM", 0.6), ("ALG2", 0.4)),
            (("CHEM", 0.5), ("BIO", 0.5)),
            _one("WHIST"),
            _one("HEALTH"),
        ),
        "11": (
            _one("ENG11"),
            (("ALG2", 0.5), ("PRECALC", 0.3), ("STATS", 0.2)),
            (("PHYS", 0.5), ("CHEM", 0.3), ("APBIO", 0.2)),
            (("USHIST", 0.7), ("APUSH", 0.3)),
        ),
        "12": (
            _one("ENG12"),
            (("PRECALC", 0.4), ("APCALCAB", 0.3), ("STATS", 0.3)),
            (("PHYS", 0.4), ("ENVSCI", 0.6)),
            (("GOVT", 0.5), ("ECON", 0.5)),
        ),
    },
    electives=(
        "SPAN1", "SPAN2", "SPAN3", "FREN1", "FREN2", "ART1", "CERAM", "BAND", "CHOIR",
        "THEA", "CSP", "ROBOT", "JOUR", "PSYCH", "PHOTO", "CULIN", "YRBK",
    ),
)  # fmt: skip

MIDDLE = Level(
    name="middle",
    grades=("06", "07", "08"),
    courses=_courses(
        ("ELA06", "English Language Arts 6", ELA),
        ("ELA07", "English Language Arts 7", ELA),
        ("ELA08", "English Language Arts 8", ELA),
        ("MATH06", "Math 6", MATH),
        ("MATH07", "Math 7", MATH),
        ("MATH08", "Math 8", MATH),
        ("PREALG", "Pre-Algebra", MATH),
        ("ALG1", "Algebra I", MATH),
        ("SCI06", "Earth Science 6", SCI),
        ("SCI07", "Life Science 7", SCI),
        ("SCI08", "Physical Science 8", SCI),
        ("SS06", "World Cultures 6", SOC),
        ("SS07", "Ancient Civilizations 7", SOC),
        ("SS08", "U.S. History 8", SOC),
        ("PE", "Physical Education", PE),
        ("BAND", "Band", ARTS),
        ("CHOIR", "Choir", ARTS),
        ("ORCH", "Orchestra", ARTS),
        ("ART", "Art", ARTS),
        ("THEA", "Drama", ARTS),
        ("SPAN", "Exploratory Spanish", LANG),
        ("TECH", "Technology Education", CTE),
        ("HEALTH", "Health", PE),
        ("CSD", "Computer Science Discoveries", CS),
        ("STEM", "STEM Exploration", SCI),
        ("YRBK", "Yearbook", CTE),
    ),
    required={
        "06": (_one("ELA06"), _one("MATH06"), _one("SCI06"), _one("SS06"), _one("PE")),
        "07": (
            _one("ELA07"),
            (("MATH07", 0.7), ("PREALG", 0.3)),
            _one("SCI07"),
            _one("SS07"),
            _one("PE"),
        ),
        "08": (
            _one("ELA08"),
            (("MATH08", 0.5), ("PREALG", 0.2), ("ALG1", 0.3)),
            _one("SCI08"),
            _one("SS08"),
            _one("PE"),
        ),
    },
    electives=(
        "BAND", "CHOIR", "ORCH", "ART", "THEA", "SPAN", "TECH", "HEALTH", "CSD", "STEM", "YRBK",
    ),
)  # fmt: skip

_ELEM_GRADES = ("KG", "01", "02", "03", "04", "05")


def _grade_label(grade: str) -> str:
    """Kindergarten, Grade 1, …"""
    return "Kindergarten" if grade == "KG" else f"Grade {int(grade)}"


def _elementary() -> Level:
    """The elementary catalog: a homeroom and the core subjects per grade, plus specials."""
    courses: dict[str, Course] = {}
    required: dict[str, tuple[Choice, ...]] = {}
    for grade in _ELEM_GRADES:
        label = _grade_label(grade)
        rows = (
            (f"HR{grade}", f"{label} Homeroom", ELA, "homeroom"),
            (f"ELA{grade}", f"{label} Reading", ELA, "scheduled"),
            (f"MATH{grade}", f"{label} Math", MATH, "scheduled"),
            (f"SCI{grade}", f"{label} Science", SCI, "scheduled"),
            (f"SS{grade}", f"{label} Social Studies", SOC, "scheduled"),
        )
        for code, title, subject, class_type in rows:
            courses[code] = Course(code, title, subject, class_type)
        required[grade] = tuple(_one(row[0]) for row in rows)
    specials = _courses(
        ("ART", "Art", ARTS),
        ("MUSIC", "Music", ARTS),
        ("PE", "Physical Education", PE),
        ("LIB", "Library", ELA),
        ("TECH", "Computer Lab", CS),
        ("STEM", "STEM Lab", SCI),
        ("SPAN", "Spanish", LANG),
        ("HEALTH", "Health", PE),
    )
    courses.update(specials)
    return Level("elementary", _ELEM_GRADES, courses, required, tuple(specials))


ELEMENTARY = _elementary()

# School levels in the order schools are created: the first school is a high school.
LEVEL_CYCLE: tuple[Level, ...] = (HIGH, MIDDLE, ELEMENTARY)
