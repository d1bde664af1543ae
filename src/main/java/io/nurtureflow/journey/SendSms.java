package io.nurtureflow.journey;

import io.nurtureflow.touch.Channel;
import io.nurtureflow.touch.TouchDispatcher;

import org.springframework.stereotype.Component;

/** {@code ${sendSms}}: sends the step's content piece to the lead by SMS. */
@Component("sendSms")
class SendSms extends SendTouch {

	SendSms(TouchDispatcher touches) {
		super(touches, Channel.SMS);
	}

}
