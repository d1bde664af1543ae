package io.nurtureflow.insights;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** The leads a report looks at: those captured from {@code from} (inclusive) to {@code to} (inclusive), UTC days. */
record Period(LocalDate from, LocalDate to) {

	static final int DEFAULT_DAYS = 90;

	/** Four-digit years, which every database and date format takes. */
	private static final LocalDate FIRST = LocalDate.of(1, 1, 1);

	private static final LocalDate LAST = LocalDate.of(9999, 12, 31);

	Period {
		inRange(from);
		inRange(to);
		if (from.isAfter(to)) {
			throw new InvalidReportRequestException("from must not be after to");
		}
	}

	static Period of(LocalDate from, LocalDate to, Clock clock) {
		inRange(from);
		inRange(to);
		LocalDate end = (to != null) ? to : LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
		return new Period((from != null) ? from : end.minusDays(DEFAULT_DAYS), end);
	}

	private static void inRange(LocalDate date) {
		if (date != null && (date.isBefore(FIRST) || date.isAfter(LAST))) {
			throw new InvalidReportRequestException("from and to must be dates from 0001-01-01 to 9999-12-31");
		}
	}

	Instant start() {
		return this.from.atStartOfDay(ZoneOffset.UTC).toInstant();
	}

	Instant end() {
		return this.to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
	}

}
