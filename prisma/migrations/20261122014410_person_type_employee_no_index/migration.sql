-- Hand-written (docs/benchmarks.md): the staff list filtered by employment type and sorted by
-- employee number. Third parties' numbers share a prefix (V…), so with only the single-column
-- indexes PostgreSQL walks person_employee_no_key through every employee (E…) before it reaches the
-- first third party: 60-110 ms for the first page at 100,000 people, growing with the staff count.
-- With this index the page is a range scan (~2 ms).
-- The name is the one Prisma generates for @@index([employmentType, employeeNo, id]) on Person: declare
-- that in prisma/schema/people.prisma so the next generated migration does not propose dropping it.
CREATE INDEX "person_employment_type_employee_no_id_idx" ON "person"("employment_type", "employee_no", "id");
