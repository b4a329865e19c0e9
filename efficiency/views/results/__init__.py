"""Leaders' result pages, one module per page: the quarterly ranking with its grade
overrides (:mod:`.ranking`), a person's score card (:mod:`.card`), trends across quarters
(:mod:`.trends`) and the annual roll-up (:mod:`.annual`); :mod:`.common` holds their filter
form and sub-navigation.

Every number comes from :mod:`efficiency.results` (which calls :mod:`efficiency.scoring`) and
every sentence about it from :mod:`efficiency.wording`; these views only choose, filter and page.
"""
