"""Small OneRoster bundles for the connector tests: real files and real zips, tweaked per test."""

from __future__ import annotations

import zipfile
from pathlib import Path

H11 = {
    "orgs": "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId",
    "academicSessions": "sourcedId,status,dateLastModified,title,type,startDate,endDate,"
    "parentSourcedId,schoolYear",
    "courses": "sourcedId,status,dateLastModified,schoolYearSourcedId,title,courseCode,grades,"
    "orgSourcedId,subjects,subjectCodes",
    "classes": "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,"
    "classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods",
    "users": "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,"
    "givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password",
    "enrollments": "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,"
    "userSourcedId,role,primary,beginDate,endDate",
    "demographics": "sourcedId,status,dateLastModified,birthDate,sex,americanIndianOrAlaskaNative,"
    "asian,blackOrAfricanAmerican,nativeHawaiianOrOtherPacificIslander,white,"
    "demographicRaceTwoOrMoreRaces,hispanicOrLatinoEthnicity,countryOfBirthCode,"
    "stateOfBirthAbbreviation,cityOfBirth,publicSchoolResidenceStatus",
}

ROWS11 = {
    "orgs": ["d1,,,Lincoln USD,district,D1,", "s1,,,Lincoln High,School,S1,d1"],
    "academicSessions": [
        "y1,,,2026-2027,schoolYear,2026-08-15,2027-06-10,,2027",
        "t1,,,Fall,Semester,2026-08-15,2027-01-15,y1,2027",
    ],
    "courses": ['c1,,,y1,Algebra I,ALG1,"09,10",s1,Math,'],
    "classes": [
        "k1,,,Algebra I - P1,09,c1,ALG1-1,Scheduled,,s1,t1,Math,,1",
        'k2,,,Algebra I - P2,"09,10",c1,,homeroom,,s1,"t1,y1",Math,,"2,3"',
    ],
    "users": [
        'tch1,,,TRUE,"s1,d1",Teacher,mlee,"{LDAP:12},{LTI:15}",Mary,Lee,,T1,mary@x.org,,,,,hunter2',
        'stu1,,,true,s1,student,ann,,Ann,Smith,,S1,ann@x.org,,,,"09,10,11",pw1',
        "stu2,,,False,s1,Student,,,Bob,Jones,,,,,,,,pw2",
    ],
    "enrollments": [
        "e1,,,k1,s1,tch1,teacher,TRUE,2026-08-15,",
        "e2,,,k1,s1,stu1,Student,false,,",
        "e3,,,k2,s1,stu2,student,,,",
    ],
    "demographics": ["stu1,,,2011-01-01,Female,true,,,,,,,,,,"],
}

H12_USERS = (
    "sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,"
    "middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,"
    "preferredGivenName,preferredMiddleName,preferredFamilyName,primaryOrgSourcedId,pronouns"
)
H12_ROLES = (
    "sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,"
    "orgSourcedId,userProfileSourcedId"
)
ROWS12_USERS = [
    "tch1,,,true,mlee,,Mary,Lee,,T1,mary@x.org,,,,,hunter2,,Molly,,,s1,she/her",
    "stu1,,,true,ann,,Ann,Smith,,,,,,,09,pw1,,,,,s1,",
]
ROWS12_ROLES = [
    "r1,,,tch1,primary,teacher,,,s1,",
    "r2,,,tch1,Secondary,teacher,,,d1,",
    "r3,,,stu1,primary,Student,2026-08-15,,s1,",
]

MANIFEST_FILES = [
    "academicSessions",
    "categories",
    "classes",
    "classResources",
    "courses",
    "courseResources",
    "demographics",
    "enrollments",
    "lineItems",
    "orgs",
    "resources",
    "results",
    "users",
]
MANIFEST_FILES_12 = [
    "lineItemLearningObjectiveIds",
    "lineItemScoreScales",
    "resultLearningObjectiveIds",
    "resultScoreScales",
    "roles",
    "scoreScales",
    "userProfiles",
    "userResources",
]


def manifest(version: str, present: list[str], mode: str = "bulk") -> str:
    """A manifest.csv naming the files present with `mode` and the others absent."""
    names = MANIFEST_FILES + (MANIFEST_FILES_12 if version.startswith("1.2") else [])
    lines = ["propertyName,value", "manifest.version,1.0", f"oneroster.version,{version}"]
    lines += [f"file.{n},{mode if n in present else 'absent'}" for n in names]
    lines += ["source.systemName,TestSIS"]
    return "\n".join(lines) + "\n"


def files11(mode: str = "bulk") -> dict[str, str | bytes]:
    """The text of every file of a small, valid OneRoster 1.1 bundle."""
    files: dict[str, str | bytes] = {
        f"{topic}.csv": "\n".join([H11[topic], *rows]) + "\n" for topic, rows in ROWS11.items()
    }
    files["manifest.csv"] = manifest("1.1", list(ROWS11), mode)
    return files


def files12(version: str = "1.2") -> dict[str, str | bytes]:
    """The text of every file of a small, valid OneRoster 1.2 bundle."""
    files = files11()
    files["users.csv"] = "\n".join([H12_USERS, *ROWS12_USERS]) + "\n"
    files["roles.csv"] = "\n".join([H12_ROLES, *ROWS12_ROLES]) + "\n"
    files["manifest.csv"] = manifest(version, [*ROWS11, "roles"])
    return files


def write(target: Path, files: dict[str, str | bytes]) -> Path:
    """Write files as a folder, or as a zip when target ends in .zip (names may hold folders)."""
    if target.suffix == ".zip":
        target.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, content in files.items():
                zf.writestr(name, content)
        return target
    for name, content in files.items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
    return target


def replace_line(text: str | bytes, line: int, new: str) -> str:
    """The file text with its (1-based) line replaced."""
    assert isinstance(text, str)
    lines = text.split("\n")
    lines[line - 1] = new
    return "\n".join(lines)
