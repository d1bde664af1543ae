package io.nurtureflow.touch.policy;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The hours and days in which a channel may reach a lead, in the lead's own time zone: from
 * {@code start} (inclusive) to {@code end} (exclusive) on the given days. Written as
 * {@code 08:00-21:00} and {@code MON-FRI} (or {@code MON,WED,FRI}).
 */
public record ContactWindow(LocalTime start, LocalTime end, Set<DayOfWeek> days) {

	public ContactWindow {
		if (!start.isBefore(end)) {
			throw new IllegalArgumentException("A contact window must start before it ends: " + start + "-" + end);
		}
		if (days.isEmpty()) {
			throw new IllegalArgumentException("A contact window needs at least one day");
		}
		days = Set.copyOf(days);
	}

	public static ContactWindow parse(String hours, String days) {
		String[] range = hours.trim().split("-");
		if (range.length != 2) {
			throw new IllegalArgumentException("Hours must read like 08:00-21:00, not " + hours);
		}
		return new ContactWindow(LocalTime.parse(range[0].trim()), LocalTime.parse(range[1].trim()), parseDays(days));
	}

	/** Any time of day, on the given days. */
	public static ContactWindow allDay(String days) {
		return new ContactWindow(LocalTime.MIN, LocalTime.MAX, parseDays(days));
	}

	/** Whether a moment falls in the window where the lead lives. */
	public boolean allows(Instant moment, ZoneId zone) {
		ZonedDateTime local = moment.atZone(zone);
		LocalTime time = local.toLocalTime();
		return this.days.contains(local.getDayOfWeek()) && !time.isBefore(this.start) && time.isBefore(this.end);
	}

	/** The first moment at or after {@code moment} inside the window, in the lead's zone. */
	public Instant nextOpening(Instant moment, ZoneId zone) {
		if (allows(moment, zone)) {
			return moment;
		}
		ZonedDateTime local = moment.atZone(zone);
		LocalDate day = local.toLocalDate();
		if (local.toLocalTime().isBefore(this.start) && this.days.contains(day.getDayOfWeek())) {
			return day.atTime(this.start).atZone(zone).toInstant();
		}
		for (int ahead = 1; ahead <= 7; ahead++) {
			LocalDate next = day.plusDays(ahead);
			if (this.days.contains(next.getDayOfWeek())) {
				// atZone moves a start that falls into a DST gap to the first valid local time
				return next.atTime(this.start).atZone(zone).toInstant();
			}
		}
		throw new IllegalStateException("A window with days always opens within a week");
	}

	private static Set<DayOfWeek> parseDays(String text) {
		Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
		for (String part : text.trim().toUpperCase(Locale.ROOT).split(",")) {
			String[] range = part.trim().split("-");
			DayOfWeek from = day(range[0]);
			DayOfWeek to = (range.length > 1) ? day(range[1]) : from;
			for (DayOfWeek d = from;; d = d.plus(1)) {
				days.add(d);
				if (d == to) {
					break;
				}
			}
		}
		return days;
	}

	private static DayOfWeek day(String abbreviation) {
		String name = abbreviation.trim();
		for (DayOfWeek day : DayOfWeek.values()) {
			if (day.name().startsWith(name) && name.length() >= 3) {
				return day;
			}
		}
		throw new IllegalArgumentException("Unknown day " + abbreviation + "; use MON, TUE, ... SUN");
	}

}
