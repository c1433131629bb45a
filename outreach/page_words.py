"""The payment and unsubscribe pages' words, in each language the messages are sent in.

A debtor who reads Spanish gets the reminder in Spanish (outreach.render); the page its link
opens must not switch to English at the moment they are asked for their date of birth and a
card. The page speaks the debtor's preferred language; `?lang=` (the switch on every page)
overrides it, and where the link says nothing (a broken or expired link) the browser's
Accept-Language decides.
"""

from __future__ import annotations

from collections.abc import Mapping

WORDS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "switch_to": "es",
        "switch_label": "Español",
        "pay_title": "Make a payment",
        "verify_heading": "Confirm it's you",
        "verify_intro": "To protect your account, enter your date of birth and your postal code.",
        "dob": "Date of birth",
        "postal_code": "Postal code",
        "continue": "Continue",
        "collecting_for": "collecting for",
        "questions": "Questions? Call",
        "account_line": "Account ending {ref} · balance {balance}",
        "amount_label": "Amount ({currency})",
        "name_on_card": "Name on card",
        "card_number": "Card number",
        "month": "Month",
        "year": "Year",
        "cvc": "CVC",
        "pay_button": "Pay this amount",
        "collector_notice": "This is a communication from a debt collector.",
        "done_title": "Payment received",
        "done_heading": "Thank you",
        "done_amount": "We received your payment of",
        "reference": "Reference",
        "remaining": "Remaining balance",
        "receipt_by": "A receipt is on its way by {channels}.",
        "receipt_none": "Keep this reference: it is your receipt.",
        "channel_sms": "text message",
        "channel_email": "email",
        "and": "and",
        "nothing_owed_title": "Nothing to pay",
        "nothing_owed": "This account has nothing left to pay. Thank you.",
        "not_ours_title": "We cannot take a payment here",
        "not_ours_recalled": "This account is no longer handled by {collector}. Please contact "
        "{creditor} about it.",
        "not_ours_person": "We cannot take a payment on this account online. Please call us to "
        "talk about it.",
        "expired_title": "Link expired",
        "error_title": "Link not valid",
        "error_heading": "Sorry",
        "link_invalid": "This payment link is not valid. Please call us for a new one.",
        "link_expired": "This payment link has expired. Please call us for a new one.",
        "unsubscribe_invalid": "This unsubscribe link is not valid.",
        "too_many": "Too many tries: this link is locked for an hour.",
        "call_to_pay": "To pay now, call us at {callback}.",
        "not_confirmed": "We could not confirm your identity. "
        "Check your date of birth and postal code.",
        "confirm_again": "Please confirm your identity again.",
        "amount_unreadable": "Amount: {reason}",
        "amount_range": "Amount: between {least} and your balance of {balance}",
        "card_refused": "{message}",
        "card_error_number": "Card number: please check the digits.",
        "card_error_month": "Month: a number from 1 to 12.",
        "card_error_expired": "This card's expiry date has passed: please check the month and "
        "year, or use another card.",
        "card_error_cvc": "Security code: the 3 or 4 digits on the card.",
        "unsubscribed_title": "Unsubscribed",
        "unsubscribed_heading": "You're unsubscribed",
        "unsubscribed_sms": "We will not send you any more text messages.",
        "unsubscribed_email": "We will not send you any more emails.",
        "unsubscribe_title": "Unsubscribe",
        "unsubscribe_heading_sms": "Stop our text messages?",
        "unsubscribe_heading_email": "Stop our emails?",
        "unsubscribe_ask_sms": "Press the button and we will not text {address} again.",
        "unsubscribe_ask_email": "Press the button and we will not email {address} again.",
        "unsubscribe_button": "Unsubscribe",
    },
    "es": {
        "switch_to": "en",
        "switch_label": "English",
        "pay_title": "Hacer un pago",
        "verify_heading": "Confirme que es usted",
        "verify_intro": "Para proteger su cuenta, escriba su fecha de nacimiento y su código "
        "postal.",
        "dob": "Fecha de nacimiento",
        "postal_code": "Código postal",
        "continue": "Continuar",
        "collecting_for": "en nombre de",
        "questions": "¿Preguntas? Llame al",
        "account_line": "Cuenta que termina en {ref} · saldo {balance}",
        "amount_label": "Monto ({currency})",
        "name_on_card": "Nombre en la tarjeta",
        "card_number": "Número de tarjeta",
        "month": "Mes",
        "year": "Año",
        "cvc": "CVC",
        "pay_button": "Pagar este monto",
        "collector_notice": "Esta es una comunicación de un cobrador de deudas.",
        "done_title": "Pago recibido",
        "done_heading": "Gracias",
        "done_amount": "Recibimos su pago de",
        "reference": "Referencia",
        "remaining": "Saldo pendiente",
        "receipt_by": "Le enviaremos un recibo por {channels}.",
        "receipt_none": "Guarde esta referencia: es su comprobante.",
        "channel_sms": "mensaje de texto",
        "channel_email": "correo electrónico",
        "and": "y",
        "nothing_owed_title": "Nada que pagar",
        "nothing_owed": "Esta cuenta no tiene saldo pendiente. Gracias.",
        "not_ours_title": "No podemos recibir un pago aquí",
        "not_ours_recalled": "{collector} ya no gestiona esta cuenta. Comuníquese con {creditor} "
        "sobre ella.",
        "not_ours_person": "No podemos recibir un pago en línea para esta cuenta. Llámenos para "
        "hablar de ella.",
        "expired_title": "Enlace vencido",
        "error_title": "Enlace no válido",
        "error_heading": "Lo sentimos",
        "link_invalid": "Este enlace de pago no es válido. Llámenos para recibir uno nuevo.",
        "link_expired": "Este enlace de pago ha vencido. Llámenos para recibir uno nuevo.",
        "unsubscribe_invalid": "Este enlace para darse de baja no es válido.",
        "too_many": "Demasiados intentos: este enlace queda bloqueado durante una hora.",
        "call_to_pay": "Para pagar ahora, llámenos al {callback}.",
        "not_confirmed": "No pudimos confirmar su identidad. "
        "Revise su fecha de nacimiento y su código postal.",
        "confirm_again": "Por favor, confirme su identidad otra vez.",
        # The amount reader and the card processor explain themselves in English; the
        # Spanish lines say what to do instead.
        "amount_unreadable": "Monto: escríbalo con punto para los centavos, así: 150.00",
        "amount_range": "Monto: entre {least} y su saldo de {balance}",
        "card_refused": "La tarjeta no fue aceptada. Pruebe con otra tarjeta o llámenos.",
        "card_error_number": "Número de tarjeta: revise los dígitos.",
        "card_error_month": "Mes: un número del 1 al 12.",
        "card_error_expired": "La fecha de vencimiento de esta tarjeta ya pasó: revise el mes y "
        "el año, o use otra tarjeta.",
        "card_error_cvc": "Código de seguridad: los 3 o 4 dígitos de la tarjeta.",
        "unsubscribed_title": "Baja confirmada",
        "unsubscribed_heading": "Se dio de baja",
        "unsubscribed_sms": "No le enviaremos más mensajes de texto.",
        "unsubscribed_email": "No le enviaremos más correos electrónicos.",
        "unsubscribe_title": "Darse de baja",
        "unsubscribe_heading_sms": "¿Dejar de recibir nuestros mensajes de texto?",
        "unsubscribe_heading_email": "¿Dejar de recibir nuestros correos electrónicos?",
        "unsubscribe_ask_sms": "Pulse el botón y no volveremos a escribir al {address}.",
        "unsubscribe_ask_email": "Pulse el botón y no volveremos a escribir a {address}.",
        "unsubscribe_button": "Darme de baja",
    },
}


def page_language(chosen: str, preferred: str | None, accept_language: str) -> str:
    """The language a page speaks: the switch's choice, else the debtor's preferred language,
    else the browser's first language we have, else English."""
    for candidate in (chosen, preferred or ""):
        if candidate in WORDS:
            return candidate
    for part in accept_language.split(","):
        primary = part.split(";")[0].strip().lower().split("-")[0]
        if primary in WORDS:
            return primary
    return "en"
