package io.nurtureflow.touch.policy;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Quiet hours at their edges, in the lead's own time zone. */
class ContactWindowTest {

	private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

	private final ContactWindow weekdays = ContactWindow.parse("08:00-21:00", "MON-FRI");

	@Test
	void theWindowIncludesItsStartAndExcludesItsEnd() {
		assertThat(this.weekdays.allows(at("2026-11-24T08:00", BERLIN), BERLIN)).isTrue();
		assertThat(this.weekdays.allows(at("2026-11-24T20:59:59", BERLIN), BERLIN)).isTrue();
		assertThat(this.weekdays.allows(at("2026-11-24T21:00", BERLIN), BERLIN)).isFalse();
		assertThat(this.weekdays.allows(at("2026-11-24T07:59:59", BERLIN), BERLIN)).isFalse();
	}

	@Test
	void at21SharpTheNextOpeningIsTomorrowMorning() {
		assertThat(this.weekdays.nextOpening(at("2026-11-24T21:00", BERLIN), BERLIN))
			.isEqualTo(at("2026-11-25T08:00", BERLIN));
	}

	@Test
	void beforeTheWindowOpensItOpensTheSameDay() {
		assertThat(this.weekdays.nextOpening(at("2026-11-24T06:30", BERLIN), BERLIN))
			.isEqualTo(at("2026-11-24T08:00", BERLIN));
	}

	@Test
	void fridayEveningWaitsForMonday() {
		assertThat(this.weekdays.nextOpening(at("2026-11-27T22:15", BERLIN), BERLIN))
			.isEqualTo(at("2026-11-30T08:00", BERLIN));
		assertThat(this.weekdays.nextOpening(at("2026-11-28T12:00", BERLIN), BERLIN))
			.isEqualTo(at("2026-11-30T08:00", BERLIN));
	}

	@Test
	void theLeadsZoneCountsNotTheServers() {
		ZoneId kiritimati = ZoneId.of("Pacific/Kiritimati");
		Instant tuesdayNoonUtc = Instant.parse("2026-11-24T12:00:00Z");

		// 02:00 on Wednesday in Kiritimati (UTC+14), 01:00 on Tuesday in Pago Pago (UTC-11)
		assertThat(this.weekdays.allows(tuesdayNoonUtc, kiritimati)).isFalse();
		assertThat(this.weekdays.nextOpening(tuesdayNoonUtc, kiritimati)).isEqualTo(at("2026-11-25T08:00", kiritimati));
		ZoneId pagoPago = ZoneId.of("Pacific/Pago_Pago");
		assertThat(this.weekdays.nextOpening(tuesdayNoonUtc, pagoPago)).isEqualTo(at("2026-11-24T08:00", pagoPago));
		assertThat(this.weekdays.allows(tuesdayNoonUtc, BERLIN)).isTrue();
	}

	@Test
	void anOpeningThatFallsIntoTheSpringForwardGapMovesPastIt() {
		ContactWindow early = ContactWindow.parse("02:30-21:00", "MON-SUN");

		// Berlin skips 02:00-03:00 on 29 March 2026: 02:30 does not exist, 03:30 CEST does
		assertThat(early.nextOpening(Instant.parse("2026-03-28T23:00:00Z"), BERLIN))
			.isEqualTo(Instant.parse("2026-03-29T01:30:00Z"));
	}

	@Test
	void theWindowKeepsLocalHoursAcrossTheAutumnChange() {
		ZoneId newYork = ZoneId.of("America/New_York");

		// clocks go back on Sunday 1 November 2026; Monday 08:00 is 13:00 UTC, not 12:00
		assertThat(this.weekdays.nextOpening(at("2026-10-30T21:30", newYork), newYork))
			.isEqualTo(Instant.parse("2026-11-02T13:00:00Z"));
	}

	@Test
	void badWindowsAreRefusedWhenRead() {
		assertThatThrownBy(() -> ContactWindow.parse("21:00-08:00", "MON-FRI")).hasMessageContaining("start before");
		assertThatThrownBy(() -> ContactWindow.parse("8-21", "MON-FRI")).isInstanceOf(RuntimeException.class);
		assertThatThrownBy(() -> ContactWindow.parse("08:00-21:00", "FUNDAY")).hasMessageContaining("Unknown day");
	}

	private static Instant at(String local, ZoneId zone) {
		return LocalDateTime.parse(local).atZone(zone).toInstant();
	}

}
