"""Analyses across reports (issue 17), as pure functions over small frozen dataclasses.

Each module takes plain values (agency name, region, year, section text, dates, cells, file
paths) in dataclasses of its own and returns dataclasses that carry their evidence, sorted
deterministically. Nothing here renders a page or touches the rule catalogue; `records`
builds the inputs from the record model (for the HI rules of generator/check/rules/
hierarchy.py and the pages of generator/render/analyses.py), and the cells are named as the
official format names them (generator/model/places.py).

    common      AgencyRef, Region, agency kinds (government, office, department, township)
    promises    section 五 commitments and problems, matched against the next year's report
    edits       versions of each report file from the git history of reports/ (silent edits)
    hierarchy   a place's reports side by side per year; sums and carry-overs that cannot be
    timeliness  who published, late, or not at all, per year (reports/agencies.yml or inferred)
    cite        a GB/T 7714-2015 reference for a report page
    records     what each analysis needs of a Record (the one place that reads the model)
"""
