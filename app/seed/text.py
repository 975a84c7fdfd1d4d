"""Words for the synthetic bench data set: names, plan lines, messages and notes.

Synthetic text is English whatever the member's locale (the interface is what is localized),
and it follows the CONTENT.md rules like the demo: everyday words, no detail of self-harm,
help pointed to rather than described.
"""

from __future__ import annotations

from app.models import Section

FIRST_NAMES = (
    "Alex", "Sam", "Jordan", "Riley", "Maya", "Diego", "Priya", "Leo", "Ava", "Noah",
    "Zoe", "Omar", "Lena", "Kai", "Iris", "Mateo", "Nia", "Theo", "Sofia", "Eli",
    "Hana", "Lucas", "Amara", "Finn", "Rosa", "Ethan", "Yara", "Jonah", "Mila", "Ravi",
)  # fmt: skip
LAST_NAMES = (
    "Rivera", "Chen", "Okafor", "Novak", "Haddad", "Santos", "Kim", "Walsh", "Moreau",
    "Singh", "Brooks", "Larsen", "Ortiz", "Nakamura", "Adeyemi", "Fischer", "Reyes",
    "Murphy", "Costa", "Ibrahim",
)  # fmt: skip
GUARDIAN_RELATIONS = ("Mother", "Father", "Grandmother", "Aunt", "Guardian")

T, F, K = "teen", "family", "school"
# Per section: (text, audiences, phone). A team takes a few lines of each section.
PLAN_LINES: dict[Section, tuple[tuple[str, tuple[str, ...], str | None], ...]] = {
    Section.WARNING_SIGNS: (
        ("Staying in my room and not answering messages", (T, F), None),
        ("Thinking that everything is my fault", (T,), None),
        ("Arguments late at night", (T, F), None),
        ("Skipping meals with the family", (T, F), None),
        ("Sunday evenings before a school week", (T,), None),
    ),
    Section.COPING_ALONE: (
        ("Hold something cold and breathe slowly", (T,), None),
        ("Listen to my calm playlist with headphones", (T,), None),
        ("Draw or write in my notebook for ten minutes", (T,), None),
        ("Go outside and walk around the block", (T,), None),
    ),
    Section.DISTRACTIONS: (
        ("Text or call my best friend", (T,), "+1 212 555 0134"),
        ("The public library after school", (T,), None),
        ("Shoot hoops at the park", (T, F), None),
        ("Play a game online with my cousin", (T,), None),
    ),
    Section.HELP_PEOPLE: (
        ("My parent at home", (T, F), "+1 212 555 0141"),
        ("My aunt", (T, F), "+1 212 555 0199"),
        ("My older cousin", (T,), "+1 212 555 0177"),
    ),
    Section.PROFESSIONALS: (
        ("My therapist at the practice", (T, F, K), "+1 212 555 0100"),
        ("988 Suicide & Crisis Lifeline (call or text)", (T, F, K), "988"),
    ),
    Section.SAFER_SURROUNDINGS: (
        ("Medicines stay in the locked box; a parent keeps the key", (T, F), None),
        ("Things we agreed could hurt me are kept out of my room", (T, F), None),
    ),
    Section.REASONS: (
        ("My little brother", (T,), None),
        ("Finishing my comic", (T,), None),
        ("Summer camp with my friends", (T,), None),
        ("My dog", (T, F), None),
    ),
    Section.COPING_STEPS: (
        ("When I feel alone in my room, I will text a friend or sit with family", (T, F), None),
        ("When an urge comes, I will use cold water and wait before deciding anything", (T,), None),
        ("When I can't sleep, I will leave my phone outside and put on music", (T, F), None),
        ("When school feels too much, I will use my pass to see the counselor", (T, F), None),
    ),
    Section.GOALS: (
        ("Sleep at least eight hours on school nights", (T, F), None),
        ("Tell someone when urges are strong instead of hiding them", (T, F), None),
        ("Go back to a club or team I liked", (T,), None),
    ),
    Section.FAMILY_HELP: (
        ("Stay calm and ask: what do you need right now?", (T, F), None),
        ("No taking the phone away as a punishment", (T, F), None),
        ("One check-in in the evening, not every hour", (T, F), None),
    ),
    Section.SCHOOL_PLAN: (
        ("May leave class with the pass to see the counselor, no questions asked", (T, F, K), None),
        ("Extra time on assignments in exam weeks", (T, F, K), None),
        ("If very upset, the counselor calls a parent, then the therapist", (T, F, K),
         "+1 212 555 0141"),
        ("First month back: a short check-in with the counselor each Monday", (T, F, K), None),
    ),
    Section.CLINICAL_NOTES: (
        ("Episodes less frequent since week 4. Review skills use at next session.", (), None),
        ("Screen sleep at next session; consider family session on evenings.", (), None),
    ),
}  # fmt: skip

# Messages by thread kind value, drawn in turn with a speaker from the kind's readers.
MESSAGES: dict[str, tuple[str, ...]] = {
    "family": (
        "We tried one check-in in the evening instead of asking all day. It felt calmer.",
        "It was better today. Thanks for not asking every hour.",
        "The medicine box is locked and the key is with me, like we agreed.",
        "Small changes add up, and it is okay if some days are harder.",
        "We walked the dog together after dinner. Good talk on the way.",
        "Can we go over the evening routine again on Thursday?",
        "Thank you for telling us. You used your plan and that matters.",
        "I had a rough afternoon but I texted a friend and it got easier.",
        "We cooked dinner together tonight. It was nice.",
        "Let's talk about how the week went at the next session.",
        "I noticed you used your playlist when things got loud. That was a good step.",
        "Is it okay if I join the last ten minutes of the session?",
    ),
    "care_team": (
        "The plan review is in two weeks. Tell me before then if something is not working.",
        "Can we move Thursday's session to 4:30?",
        "Yes, 4:30 on Thursday works.",
        "Messages here are not watched around the clock. In a crisis, use Get help now.",
        "All of the teachers have the note about the pass.",
    ),
    "teen_therapist": (
        "This thread is just for you and me. If you feel unsafe, open your plan with Help now.",
        "yesterday was hard but I used the cold water thing and texted my friend",
        "Thank you for telling me. Reaching out took courage.",
        "can we talk about school stuff on thursday?",
        "Of course. You decide how much we share with your parents.",
    ),
    "school": (
        "The pass to leave class and come to my office is set up.",
        "Will the extra time on assignments be in place for exam week?",
        "Yes, all of the teachers confirmed the extra time.",
        "The library can be one of the quiet places too.",
    ),
}

CHECKIN_NOTES = (
    "Argument about grades. Texted a friend and it got a bit easier.",
    "Couldn't sleep again. Put my playlist on.",
    "Test tomorrow and I feel stressed.",
    "Art club today. Good day.",
    "Walked the dog before school.",
    "Lunch with friends. Felt lighter.",
    "Heavy day. Sat with family for a while.",
)
ACK_NOTE = "Spoke with the teen and a parent the next day; the plan stays as it is."
CONSENT_PURPOSES = {
    "school_plan": "So the school counselor can follow the school part of the plan this year.",
    "school_thread": "So the school counselor can talk with the care team this year.",
    "checkin_summary": "So the family can see how the weeks are going.",
}
