package io.nurtureflow.insights;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** The leads a report looks at: those captured from {@code from} (inclusive) to {@code to} (inclusive), UTC days. */
record Period(LocalDate from, LocalDate to) {

	static final int DEFAULT_DAYS = 90;

	Period {
		if (from.isAfter(to)) {
			throw new InvalidReportRequestException("from must not be after to");
		}
	}

	static Period of(LocalDate from, LocalDate to, Clock clock) {
		LocalDate end = (to != null) ? to : LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
		return new Period((from != null) ? from : end.minusDays(DEFAULT_DAYS), end);
	}

	Instant start() {
		return this.from.atStartOfDay(ZoneOffset.UTC).toInstant();
	}

	Instant end() {
		return this.to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
	}

}
