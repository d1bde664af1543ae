package io.nurtureflow.scoring;

import java.util.UUID;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/leads/{id}/score}: the score now, and which rules and events made it. */
@RestController
class ScoreController {

	private final LeadScoring scoring;

	ScoreController(LeadScoring scoring) {
		this.scoring = scoring;
	}

	@GetMapping("/api/leads/{id}/score")
	ScoreCard score(@PathVariable UUID id) {
		return this.scoring.explain(id);
	}

}
