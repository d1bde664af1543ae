package io.nurtureflow.insights;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import io.nurtureflow.insights.Reports.ChannelRow;
import io.nurtureflow.insights.Reports.ConversionRow;
import io.nurtureflow.insights.Reports.Funnel;
import io.nurtureflow.insights.Reports.FunnelStage;
import io.nurtureflow.insights.Reports.HourRow;
import io.nurtureflow.insights.Reports.SpeedToLead;
import io.nurtureflow.insights.Reports.StepRow;
import io.nurtureflow.insights.Reports.Timeline;
import io.nurtureflow.insights.Reports.TimelineEntry;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.format.annotation.DateTimeFormat.ISO;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The data behind each insight page, as JSON, and each table as CSV ({@code .csv}). Periods are
 * the days leads were captured, {@code from} and {@code to} as ISO dates (default: the last 90
 * days; at most {@value Period#MAX_DAYS} days, see {@link Period}).
 */
@RestController
@RequestMapping("/insights/api")
class InsightsController {

	private final InsightQueries queries;

	private final Clock clock;

	InsightsController(InsightQueries queries, Clock clock) {
		this.queries = queries;
		this.clock = clock;
	}

	@GetMapping("/funnel")
	Funnel funnel(@RequestParam(required = false) @DateTimeFormat(iso = ISO.DATE) LocalDate from,
			@RequestParam(required = false) @DateTimeFormat(iso = ISO.DATE) LocalDate to) {
		return this.queries.funnel(Period.of(from, to, this.clock));
	}

	@GetMapping("/funnel.csv")
	ResponseEntity<String> funnelCsv(@RequestParam(required = false) @DateTimeFormat(iso = ISO.DATE) LocalDate from,
			@RequestParam(required = false) @DateTimeFormat(iso = ISO.DATE) LocalDate to) {
		return CsvTable.of("funnel", FunnelStage.class, funnel(from, to).stages());
	}

	@GetMapping("/speed-to-lead")
	SpeedToLead speedToLead(@RequestParam(required = false) @DateTimeFormat(iso = ISO.DATE) LocalDate from,
			@RequestParam(required = false) @DateTimeFormat(iso = ISO.DATE) LocalDate to) {
		return this.queries.speedToLead(Period.of(from, to, this.clock));
	}

	@GetMapping("/speed-to-lead.csv")
	ResponseEntity<String> speedToLeadCsv(
			@RequestParam(required = false) @DateTimeFormat(iso = ISO.DATE) LocalDate from,
			@RequestParam(required = false) @DateTimeFormat(iso = ISO.DATE) LocalDate to) {
		return CsvTable.of("speed-to-lead-by-hour", HourRow.class, speedToLead(from, to).byHour());
	}

	@GetMapping("/who-converts")
	List<ConversionRow> whoConverts(@RequestParam(defaultValue = "industry") String by,
			@RequestParam(required = false) @DateTimeFormat(iso = ISO.DATE) LocalDate from,
			@RequestParam(required = false) @DateTimeFormat(iso = ISO.DATE) LocalDate to) {
		return this.queries.whoConverts(Period.of(from, to, this.clock), by);
	}

	@GetMapping("/who-converts.csv")
	ResponseEntity<String> whoConvertsCsv(@RequestParam(defaultValue = "industry") String by,
			@RequestParam(required = false) @DateTimeFormat(iso = ISO.DATE) LocalDate from,
			@RequestParam(required = false) @DateTimeFormat(iso = ISO.DATE) LocalDate to) {
		return CsvTable.of("who-converts-by-" + by, ConversionRow.class, whoConverts(by, from, to));
	}

	@GetMapping("/channels")
	List<ChannelRow> channels(@RequestParam(required = false) @DateTimeFormat(iso = ISO.DATE) LocalDate from,
			@RequestParam(required = false) @DateTimeFormat(iso = ISO.DATE) LocalDate to) {
		return this.queries.channels(Period.of(from, to, this.clock));
	}

	@GetMapping("/channels.csv")
	ResponseEntity<String> channelsCsv(@RequestParam(required = false) @DateTimeFormat(iso = ISO.DATE) LocalDate from,
			@RequestParam(required = false) @DateTimeFormat(iso = ISO.DATE) LocalDate to) {
		return CsvTable.of("channels", ChannelRow.class, channels(from, to));
	}

	@GetMapping("/journey-steps")
	List<StepRow> journeySteps() {
		return this.queries.journeySteps();
	}

	@GetMapping("/journey-steps.csv")
	ResponseEntity<String> journeyStepsCsv() {
		return CsvTable.of("journey-steps", StepRow.class, journeySteps());
	}

	@GetMapping("/leads/{id}/timeline")
	Timeline timeline(@PathVariable UUID id) {
		return this.queries.timeline(id);
	}

	@GetMapping("/leads/{id}/timeline.csv")
	ResponseEntity<String> timelineCsv(@PathVariable UUID id) {
		return CsvTable.of("timeline-" + id, TimelineEntry.class, timeline(id).entries());
	}

}
