"""Organisation B's survey with a TP06 question and one response, for the cross-organisation route matrix."""

from datetime import date

from core.models import Survey, SurveyAnswer, SurveyQuestion, SurveyResponse
from tests.samples import SECRET


def samples(db_session, org):
    survey = Survey(title=f"{SECRET} tenant survey", conducted_by=f"{SECRET} Research Ltd")
    db_session.add(survey)
    db_session.flush()
    question = SurveyQuestion(
        survey_id=survey.id, code="TP06", text=f"{SECRET} listens?", scale="satisfaction", position=0
    )
    response = SurveyResponse(
        survey_id=survey.id, channel="post", responded_on=date(2025, 5, 1), external_ref=f"{SECRET}-1"
    )
    db_session.add_all([question, response])
    db_session.flush()
    db_session.add(SurveyAnswer(response_id=response.id, question_code="TP06", value="very_satisfied"))
    db_session.flush()
    return {"survey_id": survey.id, "survey_response_id": response.id}
