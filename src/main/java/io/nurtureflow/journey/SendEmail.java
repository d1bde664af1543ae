package io.nurtureflow.journey;

import io.nurtureflow.touch.Channel;
import io.nurtureflow.touch.TouchDispatcher;

import org.springframework.stereotype.Component;

/** {@code ${sendEmail}}: sends the step's content piece to the lead by email. */
@Component("sendEmail")
class SendEmail extends SendTouch {

	SendEmail(TouchDispatcher touches) {
		super(touches, Channel.EMAIL);
	}

}
