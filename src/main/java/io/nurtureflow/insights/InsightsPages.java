package io.nurtureflow.insights;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** {@code /insights} opens the overview page; the pages themselves are static files under {@code static/insights}. */
@Controller
class InsightsPages {

	@GetMapping({ "/insights", "/insights/" })
	String overview() {
		return "redirect:/insights/index.html";
	}

}
