"""Generated SIF collections: a SIF 2.x US district in SIF_Message files, a SIF 3 AU one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

US_NS = "http://www.sifinfo.org/infrastructure/2.x"
AU_NS = "http://www.sifassociation.org/datamodel/au/3.4"


def rid(prefix: str, n: int) -> str:
    """A SIF 2.x RefId: 32 upper-case hex digits, distinct per prefix and number."""
    return f"{prefix}{n:0{32 - len(prefix)}X}"


def uid(prefix: str, n: int) -> str:
    """A SIF 3 RefId as a dashed UUID."""
    h = rid(prefix, n)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}".lower()


@dataclass
class District:
    """How many of each object a generated district has."""

    students: int = 30
    teachers: int = 3
    sections: int = 3

    @property
    def enrollments(self) -> int:
        """Students in every section, one teacher each."""
        return self.students * self.sections + self.sections


def message(objects: str, version: str = "2.0r1") -> str:
    """SIF 2.x objects wrapped in a SIF_Message / SIF_Response / SIF_ObjectData."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<SIF_Message xmlns="{US_NS}" Version="{version}">'
        "<SIF_Response><SIF_Header><SIF_MsgId>0F</SIF_MsgId><SIF_SourceId>SIS</SIF_SourceId>"
        "</SIF_Header><SIF_RequestMsgId>1A</SIF_RequestMsgId><SIF_PacketNumber>1</SIF_PacketNumber>"
        f"<SIF_MorePackets>No</SIF_MorePackets><SIF_ObjectData>\n{objects}</SIF_ObjectData>"
        "</SIF_Response></SIF_Message>\n"
    )


def us_student(i: int) -> str:
    """One SIF 2.0r1 US StudentPersonal."""
    return (
        f'<StudentPersonal RefId="{rid("5", i)}"><LocalId>S{i:06d}</LocalId>'
        f"<StateProvinceId>ST{i:08d}</StateProvinceId>"
        f'<ElectronicIdList><ElectronicId Type="Barcode">{900000 + i}</ElectronicId>'
        f'</ElectronicIdList><Name Type="04"><LastName>Family{i}</LastName>'
        f"<FirstName>Given{i}</FirstName><MiddleName>M</MiddleName></Name>"
        f"<Demographics><Gender>{'MF'[i % 2]}</Gender><BirthDate>2010-04-{1 + i % 28:02d}"
        "</BirthDate></Demographics><EmailList>"
        f'<Email Type="Alternate1">alt{i}@home.example.com</Email>'
        f'<Email Type="Primary">student{i}@district.example.org</Email></EmailList>'
        f'<PhoneNumberList><PhoneNumber Type="0096"><Number>(555) 555-{i % 10000:04d}</Number>'
        "</PhoneNumber></PhoneNumberList><OnTimeGraduationYear>2030</OnTimeGraduationYear>"
        "</StudentPersonal>\n"
    )


def write_us(root: Path, d: District) -> Path:
    """A SIF 2.x US district as SIF_Response files, one object type a file (some 1.5 forms)."""
    root.mkdir(parents=True, exist_ok=True)
    lea, school, term, course = rid("1", 1), rid("2", 1), rid("3", 1), rid("4", 1)
    (root / "orgs.xml").write_text(
        message(
            f'<LEAInfo RefId="{lea}"><LocalId>D1</LocalId><LEAName>Lincoln USD</LEAName></LEAInfo>'
            f'<SchoolInfo RefId="{school}"><LocalId>S1</LocalId><SchoolName>Lincoln High'
            f"</SchoolName><LEAInfoRefId>{lea}</LEAInfoRefId></SchoolInfo>\n"
        )
    )
    (root / "terms.xml").write_text(
        message(
            f'<TermInfo RefId="{term}" SchoolInfoRefId="{school}" SchoolYear="2027">'
            "<StartDate>20260815</StartDate><EndDate>20270115</EndDate>"
            "<Description>Fall 2026</Description>"
            '<TermSpan Code="02">Semester</TermSpan></TermInfo>',
            "1.5r1",
        )
    )
    (root / "courses.xml").write_text(
        message(
            f'<SchoolCourseInfo RefId="{course}" SchoolInfoRefId="{school}">'
            "<CourseCode>ALG1</CourseCode><CourseTitle>Algebra I</CourseTitle>"
            '<SubjectArea Code="02">Mathematics</SubjectArea></SchoolCourseInfo>'
        )
    )
    sections = "".join(
        f'<SectionInfo RefId="{rid("6", k)}" SchoolCourseInfoRefId="{course}">'
        f'<ScheduleInfo TermInfoRefId="{term}">'
        f'<Teacher StaffPersonalRefId="{rid("7", k % d.teachers)}"/>'
        f"<MeetingTime><TimetableDay>M</TimetableDay><TimetablePeriod>{k + 1}</TimetablePeriod>"
        f"</MeetingTime></ScheduleInfo><LocalId>ALG1-{k}</LocalId></SectionInfo>\n"
        for k in range(d.sections)
    )
    (root / "sections.xml").write_text(message(sections))
    (root / "students.xml").write_text(message("".join(us_student(i) for i in range(d.students))))
    staff = "".join(
        f'<StaffPersonal RefId="{rid("7", t)}"><LocalId>T{t}</LocalId><Name Type="04">'
        f"<LastName>Teacher{t}</LastName><FirstName>Pat{t}</FirstName></Name>"
        f'<EmailList><Email Type="Primary">t{t}@district.example.org</Email></EmailList>'
        "</StaffPersonal>\n"
        for t in range(d.teachers)
    )
    (root / "staff.xml").write_text(message(staff))
    links = "".join(
        f'<StudentSchoolEnrollment RefId="{rid("8", i)}" StudentPersonalRefId="{rid("5", i)}" '
        f'SchoolInfoRefId="{school}" MembershipType="Home" TimeFrame="Current" SchoolYear="2027">'
        "<EntryDate>2026-08-15</EntryDate><GradeLevel><Code>09</Code></GradeLevel>"
        "</StudentSchoolEnrollment>\n"
        for i in range(d.students)
    )
    links += "".join(
        f'<StaffAssignment RefId="{rid("9", t)}" SchoolInfoRefId="{school}" SchoolYear="2027" '
        f'StaffPersonalRefId="{rid("7", t)}"><Description>'
        f"{'Principal' if t == 0 else 'Math teacher'}</Description>"
        "<JobStartDate>20200901</JobStartDate></StaffAssignment>\n"
        for t in range(d.teachers)
    )
    (root / "school_links.xml").write_text(message(links))
    enrollments = "".join(
        f'<StudentSectionEnrollment RefId="{rid("A", i * d.sections + k)}" '
        f'StudentPersonalRefId="{rid("5", i)}" SectionInfoRefId="{rid("6", k)}" SchoolYear="2027">'
        "<EntryDate>2026-08-15</EntryDate></StudentSectionEnrollment>\n"
        for i in range(d.students)
        for k in range(d.sections)
    )
    (root / "section_enrollments.xml").write_text(message(enrollments))
    return root


def au_objects(d: District) -> dict[str, list[str]]:
    """SIF 3 AU objects by service name (collections hold them under a plural root)."""
    school, term = uid("2", 1), uid("3", 1)
    students = [
        f'<StudentPersonal RefId="{uid("5", i)}"><LocalId>{i}</LocalId><PersonInfo>'
        f'<Name Type="LGL"><FamilyName>\n  Family{i}\n</FamilyName><GivenName>Given{i}</GivenName>'
        f"</Name><Demographics><Sex>{1 + i % 2}</Sex><BirthDate>2011-02-03</BirthDate>"
        f'</Demographics><EmailList><Email Type="01">s{i}@school.example.edu.au</Email>'
        f"</EmailList></PersonInfo><MostRecent><YearLevel><Code>7</Code></YearLevel></MostRecent>"
        "</StudentPersonal>"
        for i in range(d.students)
    ]
    staff = [
        f'<StaffPersonal RefId="{uid("7", t)}"><LocalId>T{t}</LocalId><PersonInfo>'
        f'<Name Type="LGL"><FamilyName>Teacher{t}</FamilyName><GivenName>Sam{t}</GivenName></Name>'
        f'<EmailList><Email Type="01">t{t}@school.example.edu.au</Email></EmailList></PersonInfo>'
        "</StaffPersonal>"
        for t in range(d.teachers)
    ]
    groups = [
        f'<TeachingGroup RefId="{uid("6", k)}"><SchoolYear>2027</SchoolYear><LocalId>G{k}</LocalId>'
        f"<ShortName>7A{k}</ShortName><LongName>Year 7 Maths {k}</LongName>"
        f"<SchoolInfoRefId>{school}</SchoolInfoRefId><StudentList>"
        + "".join(
            f"<TeachingGroupStudent><StudentPersonalRefId>{uid('5', i)}</StudentPersonalRefId>"
            "</TeachingGroupStudent>"
            for i in range(d.students)
        )
        + "</StudentList><TeacherList><TeachingGroupTeacher><StaffPersonalRefId>"
        f"{uid('7', k % d.teachers)}</StaffPersonalRefId><Association>Class Teacher</Association>"
        "</TeachingGroupTeacher></TeacherList></TeachingGroup>"
        for k in range(d.sections)
    ]
    return {
        "SchoolInfos": [
            f'<SchoolInfo RefId="{school}"><LocalId>E1</LocalId>'
            "<SchoolName>Lincoln Secondary College</SchoolName></SchoolInfo>"
        ],
        "TermInfos": [
            f'<TermInfo RefId="{term}"><SchoolInfoRefId>{school}</SchoolInfoRefId>'
            "<SchoolYear>2027</SchoolYear><StartDate>2027-01-28</StartDate>"
            "<EndDate>2027-04-01</EndDate><Description>Term 1</Description></TermInfo>"
        ],
        "StudentPersonals": students,
        "StaffPersonals": staff,
        "TeachingGroups": groups,
        "StudentSchoolEnrollments": [
            f'<StudentSchoolEnrollment RefId="{uid("8", i)}"><StudentPersonalRefId>{uid("5", i)}'
            f"</StudentPersonalRefId><SchoolInfoRefId>{school}</SchoolInfoRefId>"
            "<MembershipType>01</MembershipType><EntryDate>2027-01-28</EntryDate>"
            "</StudentSchoolEnrollment>"
            for i in range(d.students)
        ],
        "StaffAssignments": [
            f'<StaffAssignment RefId="{uid("9", t)}"><SchoolInfoRefId>{school}</SchoolInfoRefId>'
            f"<StaffPersonalRefId>{uid('7', t)}</StaffPersonalRefId>"
            "<PrimaryAssignment>Y</PrimaryAssignment><JobFunction>Teacher</JobFunction>"
            "</StaffAssignment>"
            for t in range(d.teachers)
        ],
    }


def collection(service: str, objects: list[str]) -> str:
    """A SIF 3 AU collection document."""
    return f'<{service} xmlns="{AU_NS}">\n' + "\n".join(objects) + f"\n</{service}>\n"


def write_au(root: Path, d: District) -> Path:
    """A SIF 3 AU district as one collection file per service."""
    root.mkdir(parents=True, exist_ok=True)
    for service, objects in au_objects(d).items():
        (root / f"{service}.xml").write_text(collection(service, objects), encoding="utf-8")
    return root
