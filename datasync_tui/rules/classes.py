"""Rules about classes: teachers, students, titles, size, and the school, course and terms named."""

from __future__ import annotations

from datasync_tui.rules.base import ERROR, WARNING, Rule

# A class's terms as a JSON array that json_each always accepts.
TERMS = "CASE WHEN json_valid(c.termSourcedIds) THEN c.termSourcedIds ELSE '[]' END"
MEMBER_LIMIT = 1000
TITLE_LIMIT = 750

CLASS_WITHOUT_TEACHER = Rule(
    id="class-without-teacher",
    title="Classes without a teacher",
    severity=ERROR,
    topic="classes",
    sql="""
        SELECT c.sourcedId, 'enrollments' AS field, '0 teachers' AS value, c.title AS detail
        FROM classes c
        WHERE ACTIVE(c)
          AND NOT EXISTS (SELECT 1 FROM enrollments e
                          WHERE e.classSourcedId = c.sourcedId AND e.role = 'teacher'
                            AND ENROLLED(e))""",
    message="'{detail}' has no active teacher enrollment, so Classroom will not create it",
    hint="give the class a teacher enrollment with role teacher and primary true in the SIS",
)

CLASS_WITHOUT_TITLE = Rule(
    id="class-without-title",
    title="Classes without a title",
    severity=ERROR,
    topic="classes",
    sql="""
        SELECT c.sourcedId, 'title' AS field, c.title AS value
        FROM classes c WHERE ACTIVE(c) AND BLANK(c.title)""",
    message="the class title is blank; Classroom names the class after it",
    hint="enter the section name in the SIS (course name, teacher and period is usual)",
)

CLASS_TITLE_TOO_LONG = Rule(
    id="class-title-too-long",
    title="Class titles over 750 characters",
    severity=ERROR,
    topic="classes",
    sql=f"""
        SELECT c.sourcedId, 'title' AS field, c.title AS value, length(c.title) AS detail
        FROM classes c WHERE ACTIVE(c) AND length(c.title) > {TITLE_LIMIT}""",
    message=f"the title has {{detail}} characters; Classroom allows {TITLE_LIMIT}",
    hint="shorten the section name in the SIS",
)

CLASS_OVER_MEMBER_LIMIT = Rule(
    id="class-over-member-limit",
    title="Classes over 1,000 members",
    severity=ERROR,
    topic="classes",
    # The stored counts (all enrollments) bound the active ones: only big classes are counted.
    sql=f"""
        SELECT sourcedId, 'enrollments' AS field, n || ' members' AS value, title AS detail
        FROM (SELECT c.sourcedId, c.title,
                     (SELECT count(*) FROM enrollments e
                      WHERE e.classSourcedId = c.sourcedId AND e.role IN ('teacher', 'student')
                        AND ENROLLED(e)) AS n
              FROM classes c
              WHERE ACTIVE(c) AND c.teacher_count + c.student_count > {MEMBER_LIMIT})
        WHERE n > {MEMBER_LIMIT}""",
    message=f"'{{detail}}' has {{value}}; Classroom allows {MEMBER_LIMIT:,}",
    hint="split the section into smaller sections in the SIS",
)

CLASS_UNKNOWN_SCHOOL = Rule(
    id="class-unknown-school",
    title="Classes naming a school that does not exist",
    severity=ERROR,
    topic="classes",
    sql="""
        SELECT c.sourcedId, 'schoolSourcedId' AS field, c.schoolSourcedId AS value
        FROM classes c
        WHERE coalesce(c.schoolSourcedId, '') NOT IN (SELECT sourcedId FROM orgs)""",
    message="names school '{value}', which is not among the orgs",
    hint="send the school in orgs from the SIS, or correct the section's school",
)

CLASS_UNKNOWN_COURSE = Rule(
    id="class-unknown-course",
    title="Classes naming a course that does not exist",
    severity=ERROR,
    topic="classes",
    sql="""
        SELECT c.sourcedId, 'courseSourcedId' AS field, c.courseSourcedId AS value
        FROM classes c
        WHERE coalesce(c.courseSourcedId, '') NOT IN (SELECT sourcedId FROM courses)""",
    message="names course '{value}', which is not among the courses",
    hint="link the section to this year's course in the SIS (often left over from a rollover)",
)

CLASS_UNKNOWN_TERM = Rule(
    id="class-unknown-term",
    title="Classes naming a term that does not exist",
    severity=ERROR,
    topic="classes",
    sql=f"""
        SELECT c.sourcedId, 'termSourcedIds' AS field, group_concat(t.value) AS value,
               'names term ' || group_concat(t.value, ', ') || ', not among the sessions'
                   AS detail
        FROM classes c, json_each({TERMS}) t
        WHERE coalesce(t.value, '') NOT IN (SELECT sourcedId FROM academic_sessions)
        GROUP BY c.sourcedId
        UNION ALL
        SELECT c.sourcedId, 'termSourcedIds', '', 'names no term'
        FROM classes c WHERE json_array_length({TERMS}) = 0""",
    message="the class {detail}",
    hint="give the section its term(s) in the SIS and send those academic sessions",
)

CLASS_WITHOUT_STUDENTS = Rule(
    id="class-without-students",
    title="Classes without students",
    severity=WARNING,
    topic="classes",
    sql="""
        SELECT c.sourcedId, 'enrollments' AS field, '0 students' AS value, c.title AS detail
        FROM classes c
        WHERE ACTIVE(c)
          AND NOT EXISTS (SELECT 1 FROM enrollments e
                          WHERE e.classSourcedId = c.sourcedId AND e.role = 'student'
                            AND ENROLLED(e))""",
    message="'{detail}' has no active student",
    hint="schedule the students into the section in the SIS, or end the empty section",
)

CLASS_WITHOUT_PRIMARY_TEACHER = Rule(
    id="class-without-primary-teacher",
    title="Classes whose teachers are none primary",
    severity=WARNING,
    topic="classes",
    sql="""
        SELECT c.sourcedId, 'primary' AS field, 'false' AS value, c.title AS detail
        FROM classes c
        WHERE ACTIVE(c)
          AND (SELECT max(coalesce(e."primary", 0)) FROM enrollments e
               WHERE e.classSourcedId = c.sourcedId AND e.role = 'teacher'
                 AND ENROLLED(e)) = 0""",
    message="'{detail}' has teachers but none of them is primary",
    hint="mark the class's main teacher enrollment primary true in the SIS",
)

CLASS_TERM_ENDED = Rule(
    id="class-term-ended",
    title="Classes whose terms have all ended",
    severity=WARNING,
    topic="classes",
    sql=f"""
        SELECT c.sourcedId, 'termSourcedIds' AS field,
               (SELECT group_concat(t.value) FROM json_each({TERMS}) t) AS value,
               (SELECT max(s.endDate) FROM json_each({TERMS}) t
                JOIN academic_sessions s ON s.sourcedId = t.value) AS detail
        FROM classes c
        WHERE ACTIVE(c) AND json_array_length({TERMS}) > 0
          AND NOT EXISTS (SELECT 1 FROM json_each({TERMS}) t
                          LEFT JOIN academic_sessions s ON s.sourcedId = t.value
                          WHERE s.sourcedId IS NULL OR NOT READABLE(s.endDate)
                             OR s.endDate >= :today)""",
    message="every term of the class ended, the last on {detail}",
    hint="end the section in the SIS (or move it to a current term) so it leaves Classroom",
)
