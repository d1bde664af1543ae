package io.nurtureflow.touch.policy;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.util.Optional;

import io.nurtureflow.touch.Channel;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The contact policy's settings.
 *
 * @param frequencyCap the most touches a lead gets in any rolling {@code frequencyWindow}, across
 * all journeys
 * @param frequencyWindow that window, at least a minute
 * @param smsHours when SMS may reach a lead, local time; empty means any time of day (on the days given)
 * @param emailHours when email may reach a lead, local time; empty means any time of day (on the days given)
 * @param callHours when a rep may call a lead, in the lead's zone; call tasks fall due inside it
 */
@Validated
@ConfigurationProperties("nurture.contact")
public record ContactProperties(@Min(1) @DefaultValue("3") int frequencyCap,
		@NotNull @DurationMin(minutes = 1) @DefaultValue("7d") Duration frequencyWindow,
		@DefaultValue("08:00-21:00") String smsHours, @DefaultValue("MON-FRI") String smsDays,
		@DefaultValue("") String emailHours, @DefaultValue("MON-SUN") String emailDays,
		@DefaultValue("08:00-21:00") String callHours, @DefaultValue("MON-FRI") String callDays) {

	public ContactProperties {
		// fail at start-up on a bad window rather than at the first touch
		checked("sms", smsHours, smsDays);
		checked("email", emailHours, emailDays);
		checked("call", callHours, callDays);
	}

	Optional<ContactWindow> window(Channel channel) {
		return switch (channel) {
			case EMAIL -> window(this.emailHours, this.emailDays);
			case SMS -> window(this.smsHours, this.smsDays);
		};
	}

	public ContactWindow callWindow() {
		return window(this.callHours, this.callDays).orElse(ContactWindow.allDay("MON-SUN"));
	}

	private static void checked(String kind, String hours, String days) {
		try {
			window(hours, days);
		}
		catch (DateTimeException | IllegalArgumentException ex) {
			throw new IllegalArgumentException("nurture.contact." + kind + "-hours (" + hours + ") or nurture.contact."
					+ kind + "-days (" + days + "): " + ex.getMessage());
		}
	}

	/** Empty hours mean any time of day: the days still hold, unless they are every day (or none is given). */
	private static Optional<ContactWindow> window(String hours, String days) {
		if (hours != null && !hours.isBlank()) {
			return Optional.of(ContactWindow.parse(hours, days));
		}
		if (days == null || days.isBlank()) {
			return Optional.empty();
		}
		ContactWindow allDay = ContactWindow.allDay(days);
		return (allDay.days().size() == DayOfWeek.values().length) ? Optional.empty() : Optional.of(allDay);
	}

}
