"""Analyses across reports (issue 17), as pure functions over small frozen dataclasses.

Each module takes plain values (agency name, region, year, section text, dates, cells, file
paths) in dataclasses of its own and returns dataclasses that carry their evidence, sorted
deterministically. Nothing here reads a record dict, renders a page or touches the rule
catalogue: a later stage builds the inputs from the record model and publishes the outputs.

    common      AgencyRef, Region, agency kinds (government, office, department, township)
    promises    section 五 commitments and problems, matched against the next year's report
    edits       versions of each report file from the git history of reports/ (silent edits)
    hierarchy   a place's reports side by side per year; sums and carry-overs that cannot be
    timeliness  who published, late, or not at all, per year (reports/agencies.yml or inferred)
    cite        a GB/T 7714-2015 reference for a report page
"""
