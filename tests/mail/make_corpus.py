"""Writes tests/mail/corpus/*.eml: realistic agency mail for the mail tests (and for the letter readers).

Run `python tests/mail/make_corpus.py` to rebuild; the files are committed so tests do not depend on it.
Every name, number and address is made up; the numbers follow the agencies' real formats.
The mailbox is foia@newsroom.example; a request's reply address is foia+TOKEN@newsroom.example, where the
tests replace the placeholder REPLYTOKEN with a real request's token.
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

HERE = Path(__file__).parent / "corpus"
EST = timezone(timedelta(hours=-5))
MAILBOX = "foia@newsroom.example"
REPLY = "foia+REPLYTOKEN@newsroom.example"


def pdf_with_text(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def scanned_pdf(lines: list[str]) -> bytes:
    """An image-only PDF, as a scanner makes it: no text layer."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (1275, 1650), 255)
    draw = ImageDraw.Draw(image)
    y = 150
    for line in lines:
        draw.text((120, y), line, fill=0)
        y += 40
    out = io.BytesIO()
    image.save(out, "PDF", resolution=150)
    return out.getvalue()


def message(sender, to, subject, when, body, *, msgid, html=None, extra=None, attachments=()):
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(when)
    msg["Message-ID"] = msgid
    for key, value in (extra or {}).items():
        msg[key] = value
    if body is not None:
        msg.set_content(body)
        if html:
            msg.add_alternative(html, subtype="html")
    elif html:
        msg.set_content(html, subtype="html")
    for name, data, ctype in attachments:
        maintype, subtype = ctype.split("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg


ICE = '"ICE FOIA Office" <ice-foia@ice.dhs.gov>'
SIG_ICE = """
Sincerely,

ICE FOIA Office
U.S. Immigration and Customs Enforcement
500 12th Street SW, Stop 5009
Washington, DC 20536-5009
"""


def corpus() -> dict[str, EmailMessage]:
    out: dict[str, EmailMessage] = {}
    out["ice_acknowledgment"] = message(
        ICE, REPLY, "ICE FOIA Request 2026-ICFO-01234 Acknowledgment",
        datetime(2026, 11, 3, 9, 12, tzinfo=EST),
        """This acknowledges receipt of your Freedom of Information Act (FOIA) request to U.S. Immigration and
Customs Enforcement (ICE), dated October 30, 2026, and received in this office on November 2, 2026.
You are seeking the Office of Professional Responsibility report of investigation concerning the death
of a detainee at the Denver Contract Detention Facility in March 2026.

Your request has been assigned reference number 2026-ICFO-01234. Please refer to this number in any
future correspondence.

Due to the increasing number of FOIA requests received by this office, we may encounter some delay in
processing your request. Per Section 5.5(a) of the DHS FOIA regulations, 6 C.F.R. Part 5, ICE processes
FOIA requests according to their order of receipt.
""" + SIG_ICE, msgid="<ack.2026-ICFO-01234@ice.dhs.gov>")

    out["ice_fee_letter"] = message(
        ICE, REPLY, "2026-ICFO-01234 - Fee Estimate",
        datetime(2026, 11, 17, 14, 40, tzinfo=EST),
        """RE: ICE FOIA Case Number 2026-ICFO-01234

A search of the Office of Professional Responsibility located approximately 1,850 pages of potentially
responsive records. As a representative of the news media you are charged duplication fees only, after
the first 100 pages. The estimated fee is $175.00 (1,750 pages x $0.10 per page).

Please confirm in writing within 30 days, by December 17, 2026, that you agree to pay the estimated fee
or narrow the scope of your request. If we do not hear from you by that date we will administratively
close your request. Your request is on hold until we receive your answer.
""" + SIG_ICE, msgid="<fee.2026-ICFO-01234@ice.dhs.gov>")

    out["ice_extension"] = message(
        ICE, REPLY, "ICE FOIA 2026-ICFO-01234: extension of time",
        datetime(2026, 11, 24, 11, 5, tzinfo=EST),
        """Your request 2026-ICFO-01234 involves unusual circumstances: the records sought are held by the
Office of Professional Responsibility field office in Denver and require consultation with another
agency. Pursuant to 5 U.S.C. 552(a)(6)(B)(i), ICE is extending the time to respond by 10 working days.
""" + SIG_ICE, msgid="<ext.2026-ICFO-01234@ice.dhs.gov>")

    out["ice_still_interested"] = message(
        ICE, REPLY, "Still interested? FOIA request 2026-ICFO-00881",
        datetime(2026, 11, 20, 8, 30, tzinfo=EST),
        """We are writing about your FOIA request 2026-ICFO-00881. ICE would like to know whether you are still
interested in the records. If you do not respond by December 21, 2026 (30 calendar days from the date
of this letter), we will assume you are no longer interested and close your request.
""" + SIG_ICE, msgid="<still.2026-ICFO-00881@ice.dhs.gov>")

    final_pdf = pdf_with_text("""<h1>U.S. Immigration and Customs Enforcement</h1>
<p>December 1, 2026</p><p>RE: ICE FOIA Case Number 2026-ICFO-01234</p>
<p>This is the final response to your Freedom of Information Act request. ICE has considered your
request under the FOIA, 5 U.S.C. 552. Of the 412 pages located, 388 pages are released in part and
24 pages are withheld in full pursuant to Exemptions (b)(6), (b)(7)(C) and (b)(7)(E).</p>
<p>You have the right to appeal this determination within 90 days of the date of this letter.</p>""")
    out["ice_final_response_pdf"] = message(
        ICE, REPLY, "Final Response 2026-ICFO-01234",
        datetime(2026, 12, 1, 16, 2, tzinfo=EST),
        "Please see the attached final response letter for FOIA request 2026-ICFO-01234.\n" + SIG_ICE,
        msgid="<final.2026-ICFO-01234@ice.dhs.gov>",
        attachments=[("2026-ICFO-01234 Final Response.pdf", final_pdf, "application/pdf")])

    out["ice_final_response_scanned"] = message(
        ICE, REPLY, "Final Response - scanned letter",
        datetime(2026, 12, 2, 10, 0, tzinfo=EST),
        "The signed response letter is attached.\n" + SIG_ICE,
        msgid="<scan.2026-ICFO-00213@ice.dhs.gov>",
        attachments=[("Response Letter.pdf", scanned_pdf([
            "U.S. Immigration and Customs Enforcement", "RE: ICE FOIA Case Number 2026-ICFO-00213",
            "This is the final response to your request. 96 pages are released in part",
            "and 12 pages are withheld in full under Exemptions (b)(6) and (b)(7)(C)."]), "application/pdf")])

    out["ice_no_records"] = message(
        ICE, REPLY, "2026-ICFO-00213 No Records",
        datetime(2026, 11, 25, 13, 20, tzinfo=EST),
        """RE: 2026-ICFO-00213

ICE conducted a comprehensive search of the files within the Office of Professional Responsibility for
records that would be responsive to your request. Unfortunately, we were unable to locate or identify
any responsive records. You have the right to appeal this determination within 90 days.
""" + SIG_ICE, msgid="<norecords.2026-ICFO-00213@ice.dhs.gov>")

    out["doj_oip_appeal_ack"] = message(
        '"OIP FOIA Appeals" <oip.appeals@usdoj.gov>', REPLY,
        "Acknowledgment of Appeal A-2026-00417",
        datetime(2026, 11, 10, 10, 45, tzinfo=EST),
        """This is to advise you that your administrative appeal from the action of the Federal Bureau of
Investigation on your Freedom of Information Act request No. 1598765-000 was received by this Office on
November 9, 2026.

The Office of Information Policy has the responsibility of adjudicating such appeals. Your appeal has
been assigned number A-2026-00417. Please mention this number in any future correspondence to this
Office regarding this matter.

We will notify you of the decision on your appeal as soon as we can.

Priscilla Jones
Supervisory Administrative Specialist
Office of Information Policy, U.S. Department of Justice
""", msgid="<appeal-ack.A-2026-00417@usdoj.gov>")

    out["state_agency_letter"] = message(
        '"Texas Department of Public Safety" <public.information@dps.texas.gov>', REPLY,
        "Public Information Request PIR-26-04512",
        datetime(2026, 11, 12, 15, 30, tzinfo=timezone(timedelta(hours=-6))),
        """Re: Public Information Request PIR-26-04512

The Department received your request for information on November 6, 2026. We have asked for a decision
from the Office of the Attorney General under Section 552.301 of the Texas Government Code about whether
the requested information may be withheld under Sections 552.101 and 552.108. You will receive a copy
of our letter to the Attorney General.

Office of General Counsel, Texas Department of Public Safety
""", msgid="<pir-26-04512@dps.texas.gov>")

    out["gmail_forward"] = message(
        '"Sam Reporter" <reporter@test.example>', MAILBOX, "Fwd: ICE FOIA Request 2026-ICFO-01234 Update",
        datetime(2026, 11, 19, 18, 2, tzinfo=EST),
        """Filing this one - it came to my own address.

---------- Forwarded message ---------
From: ICE FOIA Office <ice-foia@ice.dhs.gov>
Date: Wed, Nov 18, 2026 at 4:15 PM
Subject: ICE FOIA Request 2026-ICFO-01234 Update
To: Sam Reporter <sam.reporter@gmail.com>


Your request 2026-ICFO-01234 is in the complex processing track. The estimated date of completion
is February 26, 2027.
""" + SIG_ICE, msgid="<CAF=gmail-fwd-01234@mail.gmail.com>",
        attachments=[("Interim release 1.pdf", pdf_with_text(
            "<p>RE: 2026-ICFO-01234. Interim release: 40 pages released in part under (b)(6).</p>"),
            "application/pdf")])

    out["outlook_forward"] = message(
        '"Sam Reporter" <reporter@test.example>', MAILBOX, "FW: FOIA 2026-ICFO-00881",
        datetime(2026, 11, 21, 9, 14, tzinfo=EST),
        """See below.

-----Original Message-----
From: ICE-FOIA <ice-foia@ice.dhs.gov>
Sent: Friday, November 20, 2026 8:30 AM
To: Reporter, Sam <sam.reporter@outlook.com>
Subject: FOIA 2026-ICFO-00881

We are writing about your FOIA request 2026-ICFO-00881. Please let us know whether you are still
interested in the records by December 21, 2026.
""", msgid="<BY5PR-outlook-fw-881@outlook.com>")

    inner = message(ICE, '"Sam Reporter" <sam.reporter@gmail.com>', "Interim release 2026-ICFO-00057",
                    datetime(2026, 10, 2, 12, 0, tzinfo=EST),
                    "Enclosed is an interim release for 2026-ICFO-00057: 120 pages, 15 withheld (b)(7)(E).\n",
                    msgid="<interim.2026-ICFO-00057@ice.dhs.gov>",
                    attachments=[("interim.pdf", pdf_with_text("<p>2026-ICFO-00057 interim release</p>"),
                                  "application/pdf")])
    attached = message('"Sam Reporter" <reporter@test.example>', MAILBOX, "Fwd: Interim release 2026-ICFO-00057",
                       datetime(2026, 10, 3, 8, 0, tzinfo=EST), "Attached the original.\n",
                       msgid="<attached-fwd-00057@newsroom.example>")
    attached.add_attachment(inner)
    out["attached_message_forward"] = attached

    out["html_only"] = message(
        '"DHS FOIA Portal" <no-reply@securerelease.dhs.gov>', REPLY,
        "Your request 2026-ICFO-01234 has been updated",
        datetime(2026, 11, 30, 7, 0, tzinfo=EST), None,
        html="""<html><head><style>p{color:red}</style><script>alert('x')</script></head><body>
<p>Dear Requester,</p><p>The status of your request <b>2026-ICFO-01234</b> has changed.
<a href="https://securerelease.dhs.gov/app/Home.aspx" onclick="steal()">Log in to view</a> the letter.</p>
<img src="https://tracker.securerelease.example/pixel.gif?u=123" width="1" height="1">
<img src="http://remote.example/logo.png" alt="DHS logo">
<iframe src="https://evil.example/"></iframe>
<p style="background:url(https://evil.example/bg.png)">FOIA Public Liaison</p></body></html>""",
        msgid="<portal-update-01234@securerelease.dhs.gov>")

    out["reply_to_our_letter"] = message(
        '"Jordan Lee, FOIA Specialist" <jordan.lee@contractor.example>', MAILBOX,
        "RE: Freedom of Information Act request - OPR report, Denver",
        datetime(2026, 11, 5, 10, 20, tzinfo=EST),
        """Good morning,

I am working your request and wanted to confirm that you are seeking the final report only, not the
exhibits. Please reply by November 19, 2026.

Jordan Lee
FOIA Specialist (contractor)
""", msgid="<reply-to-ours-1@contractor.example>",
        extra={"In-Reply-To": "<letter-sent-1@newsroom.example>",
               "References": "<letter-sent-1@newsroom.example>"})

    out["newsletter"] = message(
        '"FOIA Weekly" <news@foiaweekly.example>', MAILBOX, "This week in FOIA: 12 new lawsuits",
        datetime(2026, 11, 28, 6, 0, tzinfo=EST),
        "Court rulings, new lawsuits and agency backlogs.\nUnsubscribe: https://foiaweekly.example/u\n",
        msgid="<weekly-2026-48@foiaweekly.example>",
        extra={"List-Unsubscribe": "<https://foiaweekly.example/u>", "Precedence": "bulk"})

    out["spoofed_sender"] = message(
        '"ICE FOIA Office" <ice-foia@ice.dhs.gov>', REPLY, "Final Response 2026-ICFO-01234 - action required",
        datetime(2026, 12, 3, 3, 14, tzinfo=EST),
        """Your request 2026-ICFO-01234 was granted in full. Download the 1,200 pages within 24 hours at
http://ice-foia-release.example/download or the request will be closed.
""", msgid="<spoof-1@mailer.example>",
        extra={"Authentication-Results": "mx.newsroom.example; dmarc=fail (p=REJECT) header.from=ice.dhs.gov; "
                                         "spf=fail smtp.mailfrom=mailer.example"})
    return out


def main() -> None:
    HERE.mkdir(exist_ok=True)
    for name, msg in corpus().items():
        (HERE / f"{name}.eml").write_bytes(msg.as_bytes(policy=policy.SMTP))
    print(f"wrote {len(corpus())} messages to {HERE}")


if __name__ == "__main__":
    main()
