package io.nurtureflow.journey;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Period;
import java.time.ZoneId;
import java.util.List;

import io.nurtureflow.touch.policy.ContactWindow;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Every duration and date a journey waits for, so a demo or a test can run 90 days in minutes.
 * Durations are ISO-8601 as Camunda's timers read them ({@code PT5M}, {@code P3D}). A wait that
 * the timers could not read, or that is not longer than nothing (a journey would loop without
 * pause), stops the start and names its setting.
 *
 * @param callSla how soon a new lead must be called, counted inside business hours
 * @param businessHours when reps work ({@code 08:00-18:00}), in {@code businessZone}
 * @param callRetryDelays wait before each further call attempt after no answer or voicemail
 * @param cadence the nurture touches in order, each with how long to wait for engagement after it
 * @param longTermInterval the long-term track's rhythm
 * @param repermissionAfter silence after which a lead is asked whether it still wants to hear from us
 * @param repermissionWait how long that question waits for an answer before the lead is unsubscribed
 * @param checkInFollowUp how long after a check-in or detractor follow-up marked "Needs a
 * follow-up" customer success gets the same task again
 * @param contractTerm a customer's term, for the first renewal date
 * @param renewalLead how long before the renewal date its preparation starts
 */
@Validated
@ConfigurationProperties("nurture.journey")
record JourneyProperties(@NotNull @DefaultValue("PT5M") Duration callSla,
		@NotBlank @DefaultValue("08:00-18:00") String businessHours, @NotBlank @DefaultValue("MON-FRI") String businessDays,
		@NotBlank @DefaultValue("UTC") String businessZone,
		@NotEmpty @DefaultValue({ "P1D", "P2D", "P4D" }) List<Duration> callRetryDelays,
		@NotEmpty @Valid List<CadenceStep> cadence, @NotBlank @DefaultValue("P30D") String longTermInterval,
		@NotNull @DefaultValue("P180D") Duration repermissionAfter, @NotBlank @DefaultValue("P14D") String repermissionWait,
		@NotBlank @DefaultValue("P7D") String onboardingGap, @NotBlank @DefaultValue("P23D") String checkInAfter,
		@NotBlank @DefaultValue("P7D") String checkInFollowUp,
		@NotBlank @DefaultValue("P91D") String quarter, @NotBlank @DefaultValue("P14D") String surveyWait,
		@NotNull @DefaultValue("P1Y") Period contractTerm, @NotNull @DefaultValue("P60D") Duration renewalLead) {

	JourneyProperties {
		TimerWaits.require("nurture.journey.long-term-interval", longTermInterval);
		TimerWaits.require("nurture.journey.repermission-wait", repermissionWait);
		TimerWaits.require("nurture.journey.onboarding-gap", onboardingGap);
		TimerWaits.require("nurture.journey.check-in-after", checkInAfter);
		TimerWaits.require("nurture.journey.check-in-follow-up", checkInFollowUp);
		TimerWaits.require("nurture.journey.quarter", quarter);
		TimerWaits.require("nurture.journey.survey-wait", surveyWait);
		if (cadence != null) {
			for (int step = 0; step < cadence.size(); step++) {
				TimerWaits.require("nurture.journey.cadence[" + step + "].wait-for", cadence.get(step).waitFor());
			}
		}
		if (businessHours != null && !businessHours.isBlank() && businessDays != null && !businessDays.isBlank()) {
			try {
				ContactWindow.parse(businessHours, businessDays);
			}
			catch (DateTimeException | IllegalArgumentException ex) {
				throw new IllegalArgumentException("nurture.journey.business-hours (" + businessHours
						+ ") or nurture.journey.business-days (" + businessDays + "): " + ex.getMessage());
			}
		}
		if (businessZone != null && !businessZone.isBlank()) {
			try {
				ZoneId.of(businessZone);
			}
			catch (DateTimeException ex) {
				throw new IllegalArgumentException("nurture.journey.business-zone must be a time zone such as "
						+ "Europe/Berlin or UTC, not " + businessZone);
			}
		}
		if (callSla != null && !longerThanNothing(callSla)) {
			throw new IllegalArgumentException("nurture.journey.call-sla must be longer than nothing, not " + callSla);
		}
		if (callRetryDelays != null
				&& callRetryDelays.stream().anyMatch((delay) -> delay == null || !longerThanNothing(delay))) {
			throw new IllegalArgumentException(
					"nurture.journey.call-retry-delays must each be longer than nothing, not " + callRetryDelays);
		}
	}

	private static boolean longerThanNothing(Duration duration) {
		return !duration.isNegative() && !duration.isZero();
	}

	/**
	 * One touch of the nurture cadence.
	 *
	 * @param channel EMAIL, SMS or SOCIAL (a task for a rep)
	 * @param content the content piece (a folder under {@code content/})
	 * @param waitFor how long to wait for engagement before the next touch
	 */
	record CadenceStep(@NotNull @Pattern(regexp = "EMAIL|SMS|SOCIAL") String channel,
			@NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9-]*") String content, @NotBlank String waitFor) {
	}

}
