"""The largest numbers a form or an API body may carry: what the database columns they are stored in hold.

One place for the web forms and the API serializers alike, so that an input too large for its
column is refused with the field named rather than answered with a database error (PostgreSQL's
``integer out of range``). Tighter bounds of plausibility, where a field has one, come on top.
"""

#: A count stored in a ``PositiveIntegerField`` (PostgreSQL ``integer``).
MAX_COUNT = 2_147_483_647

#: Kronor stored in a ``PositiveBigIntegerField`` (PostgreSQL ``bigint``).
MAX_SEK = 9_223_372_036_854_775_807

#: A number stored in a ``PositiveSmallIntegerField`` (PostgreSQL ``smallint``): years, positions,
#: indicator numbers.
MAX_SMALL = 32_767

#: A period report's bounds of plausibility, on top of its columns': no real count or amount
#: reaches them, and the figures derived from them still fit a column (exit totals summed from
#: dozens of reasons, the ongoing carried to the next period, a year's spending in ``bigint``).
MAX_REPORT_COUNT = 1_000_000
MAX_REPORT_SEK = 10**12
