package io.nurtureflow.insights;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** The leads a report looks at: those captured from {@code from} (inclusive) to {@code to} (inclusive), UTC days. */
record Period(LocalDate from, LocalDate to) {

	static final int DEFAULT_DAYS = 90;

	/**
	 * Two years, both days counted (two calendar years with a leap day): a period is read from
	 * every lead and touch in it, so an unbounded one, such as every lead since the year 1,
	 * scans the whole history. The pages' period picker holds the same number.
	 */
	static final int MAX_DAYS = 731;

	/** Four-digit years, which every database and date format takes. */
	private static final LocalDate FIRST = LocalDate.of(1, 1, 1);

	private static final LocalDate LAST = LocalDate.of(9999, 12, 31);

	Period {
		inRange(from);
		inRange(to);
		if (from.isAfter(to)) {
			throw new InvalidReportRequestException("from must not be after to");
		}
		long days = ChronoUnit.DAYS.between(from, to) + 1;
		if (days > MAX_DAYS) {
			throw new InvalidReportRequestException("A period spans at most " + MAX_DAYS
					+ " days (two years), from and to included; " + from + " to " + to + " spans " + days);
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
