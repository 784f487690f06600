"""Phrases for the demo's synthetic free text, by kind of sentence and by voice.

Every sentence here was written for the demo; none comes from real feedback. A few in the
children's, care leavers' and parents' voices are safeguarding disclosures, because the
product must flag them: they are what the safeguarding queue exists for.
"""

from __future__ import annotations

VOICES = ("young-child", "child", "teen", "care-leaver", "parent", "professional", "carer")
CHILD_VOICES = frozenset({"young-child", "child", "teen"})

FILL = {
    "pet": ["dog", "cat", "rabbit", "hamster", "guinea pigs", "puppy", "fish"],
    "activity": [
        "football",
        "swimming",
        "dancing",
        "drama club",
        "boxing",
        "gymnastics",
        "scouts",
        "cooking",
        "drawing",
        "gaming",
        "band",
        "horse riding",
    ],
    "person": [
        "my carer",
        "my foster mum",
        "my foster dad",
        "my nan",
        "my key worker",
        "my teacher",
        "my social worker",
        "my big sister",
        "my auntie",
    ],
    "family": [
        "my mum",
        "my dad",
        "my brother",
        "my sister",
        "my little brother",
        "my nan",
        "my brothers and sisters",
    ],
    "place": ["the beach", "the park", "the zoo", "a caravan", "the cinema", "trampolining"],
}

PRAISE = {
    "young-child": [
        "I like my {pet}.",
        "She says she loves going to {place}.",
        "He likes {activity}.",
        "I like my bedroom.",
        "Playing with my {pet} in the garden.",
        "He says his carer reads him stories at bedtime.",
        "I got a new bike.",
        "Going to {place} with my carers.",
        "She is proud she can swim now.",
        "My friends at school.",
    ],
    "child": [
        "I like living here because my carers are kind.",
        "I have my own room now.",
        "I go to {activity} every week and I am getting good at it.",
        "My carers take me to {place} in the holidays.",
        "I have a {pet} and I look after it.",
        "I have a best friend at school.",
        "{person} listens to me.",
        "I see {family} every month and I like it.",
        "I got a certificate at school.",
        "My social worker is nice and she comes to see me.",
    ],
    "teen": [
        "My placement is good and I feel settled for once.",
        "I started {activity} and I love it.",
        "{person} is always there for me when I need to talk.",
        "I'm doing well in my GCSEs.",
        "I got a part time job at the weekends.",
        "My carers treat me like I'm part of the family.",
        "I have good mates at college.",
        "My social worker actually listens and gets stuff done.",
        "I got to go on the residential trip.",
        "Seeing {family} more now.",
        "The staff at the home are sound.",
        "I've got my own space and I can chill.",
    ],
    "care-leaver": [
        "My PA is brilliant, she always answers my texts.",
        "I moved into my own flat and it feels like home.",
        "I started college and I'm enjoying the course.",
        "I passed my driving theory test.",
        "The leaving care team helped me sort out my setting up home allowance.",
        "I'm working full time now and saving a bit.",
        "Staying put with my carers has been good.",
        "I feel more confident than I did a year ago.",
        "The drop in at the hub is really helpful.",
        "I've got a good group of friends around me.",
    ],
    "parent": [
        "The chair explained everything clearly and made sure I understood.",
        "I felt listened to for the first time.",
        "The social worker was honest with me and kind.",
        "Having my advocate there made a real difference.",
        "They took time to go through the report with me before the meeting.",
        "Everyone was respectful even though it was a difficult meeting.",
        "The plan is clear and I know what I need to do.",
        "The family support worker has been a lifeline.",
        "The social worker who visited us was kind and patient with my son.",
    ],
    "professional": [
        "The chair kept the meeting focused on the child.",
        "Good multi-agency discussion and clear actions.",
        "The family were well prepared and supported to contribute.",
        "The report was shared in good time, which helped.",
        "The child's views were presented well through the advocate.",
        "Well chaired; the analysis of risk was clear.",
        "Useful to have the health visitor and school together.",
    ],
    "carer": [
        "My supervising social worker is supportive and always gets back to me.",
        "The training on trauma was excellent.",
        "The support group is where I get most help.",
        "Seeing the children settle and thrive.",
        "The out of hours team were really helpful.",
        "Being treated as part of the team around the child.",
        "The fostering team are friendly and approachable.",
        "The child we care for has come on so much this year.",
    ],
}

COMPLAINT = {
    "young-child": [
        "She misses her mummy.",
        "He does not like it when his social worker changes.",
        "I don't like going in the taxi to school.",
        "He gets sad at bedtime.",
        "I want to see my brother more.",
    ],
    "child": [
        "I don't see {family} enough.",
        "My social worker keeps changing and I have to say everything again.",
        "I don't like it when people at school ask why I'm in care.",
        "I had to move school and I miss my friends.",
        "I'm not allowed to have sleepovers.",
        "Nobody told me why I had to move.",
        "I get bullied at school.",
    ],
    "teen": [
        "I've had four social workers this year and none of them know me.",
        "Nobody tells me anything about my plan.",
        "I'm not allowed to stay at my mates house without a police check, it's embarrassing.",
        "My carers don't let me have my phone at night.",
        "The staff keep changing at the home.",
        "I don't get enough pocket money.",
        "My LAC review was at school and everyone knew.",
        "Moving placements again messed up my exams.",
        "I never get a say in contact with {family}.",
    ],
    "care-leaver": [
        "I haven't heard from my PA in months.",
        "My rent went up and I can't afford food some weeks.",
        "The flat has damp and the council won't fix it.",
        "I felt dropped as soon as I turned 18.",
        "I didn't know what I was entitled to.",
        "Universal Credit got stopped and nobody helped me sort it.",
        "I feel really lonely since I moved out.",
        "My pathway plan is out of date.",
    ],
    "parent": [
        "I only got the report the morning of the conference.",
        "I felt judged from the moment I walked in.",
        "Nobody explained what a child protection plan means.",
        "There were too many people in the room and I couldn't speak.",
        "The meeting was at a time I was supposed to be at work.",
        "The report had things in it that were wrong and nobody listened when I said so.",
        "I was not offered an interpreter even though I asked.",
        "The social worker changed three times and each one said something different.",
        "Nobody returned my calls for two weeks.",
        "My daughter's visits were cancelled three times with no reason given.",
    ],
    "professional": [
        "The report was not shared until the day before.",
        "The conference overran by an hour.",
        "The video link kept dropping out.",
        "Invites went to the wrong school.",
        "Little time to discuss the child's lived experience.",
        "The family had not seen the report, so a lot of time went on that.",
        "The room was too small for the number of people attending.",
    ],
    "carer": [
        "We were given very little information before the placement.",
        "I have had three supervising social workers in a year.",
        "Payments are often late and nobody explains why.",
        "It is hard to get hold of the child's social worker.",
        "Training is always in the daytime when I'm at work.",
        "We asked for respite months ago and heard nothing.",
        "We are not invited to meetings about the child we care for.",
    ],
}

WISH = {
    "young-child": [
        "She wants a {pet}.",
        "I want to go to {place}.",
        "More time with my mummy.",
        "He would like to see his dad.",
        "Nothing.",
    ],
    "child": [
        "I want to see {family} more.",
        "I want my own bedroom.",
        "I want to stay here.",
        "I want my social worker to stay the same.",
        "I want to do {activity}.",
        "Nothing I am happy.",
    ],
    "teen": [
        "Let us have a say in who our social worker is.",
        "Stop moving kids around so much.",
        "Tell us what's in our plan.",
        "Let me have sleepovers like my mates do.",
        "More help with my mental health.",
        "Keep the same social worker.",
        "Have reviews somewhere that isn't school.",
        "nothing really, I'm fine.",
    ],
    "care-leaver": [
        "More help with money and budgeting before we move out.",
        "PAs should check in regularly, not just when something goes wrong.",
        "Let us stay with our carers until 21.",
        "Help finding a flat near my college.",
        "A drop in in the evenings for people who work.",
        "Tell us what we're entitled to in plain words.",
        "More mental health support.",
    ],
    "parent": [
        "Send the report a week before.",
        "Let me bring someone with me.",
        "Explain things without jargon.",
        "Smaller meetings.",
        "Ask the parents what time suits them.",
        "Have the interpreter book in advance.",
        "Talk to me, not about me.",
    ],
    "professional": [
        "Reports circulated at least three working days before.",
        "A reliable video link for remote attendees.",
        "Start on time.",
        "Send the agenda with the invitation.",
        "Clearer outline plan before people leave.",
        "More time for the family to speak before the professionals.",
    ],
    "carer": [
        "More evening and online training.",
        "A named contact who gets back to us.",
        "Clear information on allowances.",
        "Regular respite that is actually arranged.",
        "Include us in planning for the child.",
        "Better information sharing at placement.",
    ],
}

WORRY = {
    "young-child": [
        "He worries about his mum.",
        "She gets scared at night.",
        "I get cross and sad.",
    ],
    "child": [
        "I worry about my mum.",
        "I get scared when people shout.",
        "I worry I will have to move again.",
        "Sometimes I feel sad and I dont know why.",
        "I dont like the dark.",
    ],
    "teen": [
        "I worry about what happens when I turn 18.",
        "I get really anxious at school.",
        "I can't sleep because I worry about my little brother.",
        "I feel like no one gets me.",
        "People at school say stuff online.",
        "My head is all over the place.",
    ],
    "care-leaver": [
        "I worry about money all the time.",
        "I'm scared of losing my flat.",
        "I don't know who to call when things go wrong.",
        "My anxiety is really bad.",
    ],
}

SAFEGUARDING = {
    "child": [
        "I dont feel safe when my carers boyfriend is there.",
        "a big boy at school hurts me and says he will do it again if I tell.",
        "my uncle touches me when i visit and i dont like it.",
        "sometimes i dont get any dinner.",
    ],
    "teen": [
        "a man online keeps asking me to send pics and says he will share stuff if i dont.",
        "sometimes I think about hurting myself.",
        "I dont want to be alive anymore.",
        "some older lads give me money to carry stuff for them.",
        "my carer hits me when she's angry.",
    ],
    "care-leaver": [
        "my ex keeps turning up at my flat and I'm scared of what he'll do.",
        "I've been cutting again and I haven't told anyone.",
        "a guy I owe money to said he'll hurt me if I don't pay.",
    ],
    "parent": [
        "My ex has been sending threatening messages saying he will take the kids.",
    ],
}

NOTHING = {
    "young-child": ["Nothing.", "I don't know.", "no"],
    "child": ["nothing", "I don't know.", "not sure"],
    "teen": ["nothing", "idk", "nothing really", "no"],
    "care-leaver": ["Nothing really.", "Not sure.", "n/a"],
    "parent": ["No comment.", "Nothing to add.", "N/A"],
    "professional": ["None.", "Nothing further.", "N/A"],
    "carer": ["Nothing to add.", "No.", "N/A"],
}

TYPOS = {
    "because": ["becuase", "cos", "coz", "because"],
    "really": ["realy", "rly", "really"],
    "friends": ["freinds", "frends", "friends"],
    "school": ["skool", "school", "school"],
    "want": ["wont", "want", "want"],
    "social worker": ["social worker", "sw", "socail worker"],
    "people": ["poeple", "people"],
    "sometimes": ["sometimes", "somtimes", "sometims"],
    "brother": ["bruv", "brother", "brother"],
    "about": ["about", "abt"],
    "don't know": ["dont no", "dunno", "dont know"],
    "going to": ["gonna", "going to"],
    "until": ["untill", "until"],
    "their": ["there", "their"],
}

#: What would help someone feel safer where they live.
SAFER = {
    "child": [
        "A lock on the bathroom door.",
        "If the big kids didnt shout at night.",
        "A night light in my room.",
        "If my carers listened when I say I'm scared.",
        "Knowing I won't have to move again.",
    ],
    "teen": [
        "A lock on my bedroom door.",
        "If staff actually stopped the fights at the home.",
        "Not having new kids moved in without telling us.",
        "If my carer's son didn't come round.",
        "Knowing who to call at night if something happens.",
    ],
    "care-leaver": [
        "A better lock on the front door.",
        "Moving away from the area where my ex lives.",
        "CCTV in the block, there's always people hanging round the stairs.",
        "A flat that isn't above a pub.",
        "Someone to call at night who actually answers.",
    ],
}

#: How someone was treated differently (the 11 to 17 survey asks).
TREATED = {
    "teen": [
        "People at school treat me different because I'm in care.",
        "My carers' own kids get more than me.",
        "I have to ask permission for everything my mates don't.",
        "Some people say stuff about my skin colour and nobody does anything.",
        "Teachers think I'm trouble before I've done anything.",
        "I can't go on holiday abroad without loads of forms.",
    ],
}

#: Training foster carers ask for.
TRAINING = {
    "carer": [
        "Therapeutic parenting, in the evening.",
        "Managing allegations and what happens next.",
        "Supporting teenagers who self-harm.",
        "Life story work.",
        "Keeping children safe online.",
        "Autism and ADHD, with practical ideas.",
        "Recording and what to write in the log.",
        "Helping children through family time that goes badly.",
        "First aid refresher.",
    ],
}
