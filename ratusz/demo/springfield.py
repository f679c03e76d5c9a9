"""Sample content of the demo city Springfield (English only): what City Hall and its
residents wrote. The districts and people are invented; map positions lie in and around
Springfield, Illinois (the demo city's time zone is America/Chicago)."""

from __future__ import annotations

from ratusz.demo.content import (
    PROJECT_MANAGER,
    DemoCause,
    DemoContent,
    DemoEvent,
    DemoFolder,
    DemoPerson,
    DemoQuestion,
    DemoSkip,
    DemoSurvey,
    DemoSurveyPage,
    DemoSurveyResponse,
)
from ratusz.demo.content import DemoAnswer as Answer
from ratusz.demo.content import DemoComment as Comment
from ratusz.demo.content import DemoIdea as Idea
from ratusz.demo.content import DemoPhase as Phase
from ratusz.demo.content import DemoPlace as Place
from ratusz.demo.content import DemoProject as Project
from ratusz.demo.content import DemoTag as Tag

MANAGER = DemoPerson(
    "dana", "Dana Whitfield", "dana.whitfield@springfield.example", "en", PROJECT_MANAGER
)

RESIDENTS = (
    DemoPerson("maria", "Maria Gonzalez", "maria.gonzalez@example.com", "en"),
    DemoPerson("tom", "Tom Becker", "tom.becker@example.com", "en"),
    DemoPerson("aisha", "Aisha Robinson", "aisha.robinson@example.com", "en"),
    DemoPerson("kevin", "Kevin Walsh", "kevin.walsh@example.com", "en"),
    DemoPerson("jenny", "Jennifer Park", "jennifer.park@example.com", "en"),
    DemoPerson("marcus", "Marcus Hill", "marcus.hill@example.com", "en"),
    DemoPerson("linda", "Linda Schultz", "linda.schultz@example.com", "en"),
    DemoPerson("raj", "Raj Patel", "raj.patel@example.com", "en"),
    DemoPerson("emily", "Emily Nguyen", "emily.nguyen@example.com", "en"),
    DemoPerson("dave", "Dave Kowalski", "dave.kowalski@example.com", "en"),
    DemoPerson("sam", "Samantha Reed", "samantha.reed@example.com", "en"),
)

SUPPORTERS = (
    "Brian Carter", "Megan Foster", "Luis Ramirez", "Rachel Adams", "Chris Jensen",
    "Tanya Brooks", "Greg Howard", "Olivia Bennett", "Derek Simmons", "Hannah Cole",
    "Victor Alvarez", "Grace Turner", "Nate Fischer", "Paula Grant", "Jamal Price",
    "Karen Lindqvist", "Eric Thompson", "Monica Shah", "Ben Larson", "Alicia Moore",
)  # fmt: skip

TOPICS = (
    Tag("parks", {"en": "Parks"}),
    Tag("streets", {"en": "Streets & sidewalks"}),
    Tag("transit", {"en": "Transit"}),
    Tag("safety", {"en": "Safety"}),
    Tag("library", {"en": "Libraries & culture"}),
    Tag("youth", {"en": "Kids & youth"}),
    Tag("environment", {"en": "Environment"}),
    Tag("water", {"en": "Water & utilities"}),
)

AREAS = (
    Tag("downtown", {"en": "Downtown"}),
    Tag("riverside", {"en": "Riverside"}),
    Tag("north-end", {"en": "North End"}),
    Tag("westgate", {"en": "Westgate"}),
    Tag("lakeview", {"en": "Lakeview"}),
    Tag("old-mill", {"en": "Old Mill District"}),
    Tag("capitol-heights", {"en": "Capitol Heights"}),
)

FORWARD_FOLDER = DemoFolder(
    slug="springfield-forward-2030",
    title={"en": "Springfield Forward 2030"},
    description={
        "en": "<p>Projects of the city's ten-year plan for parks, streets and public spaces.</p>"
    },
)

# --- Riverside Park: the open idea collection ---------------------------------------------------

RIVERSIDE_IDEAS = (
    Idea(
        author="maria",
        title="Shade over the splash pad",
        body="<p>The splash pad is packed all summer, but there's no shade around it. Parents "
        "stand in full sun for hours and the benches get too hot to sit on. Shade sails over "
        "the benches and part of the pad would make a huge difference, plus a few trees for "
        "the long run.</p>",
        day=13,
        at="09:20",
        topics=("parks", "youth"),
        place=Place("39.865200", "-89.633900", "Splash pad, Riverside Park"),
        likes=17,
        comments=(
            Comment("aisha", "Yes! We leave by 11am every day in July because of the heat.", 3),
            Comment(
                "jenny",
                "Trees too, please. Sails only last a few years.",
                20,
                replies=(Comment("maria", "Agreed, both would be ideal.", 22),),
            ),
        ),
        answers=(
            Answer(
                "under-consideration",
                "<p>Thanks, Maria. Shade at the splash pad came up at the kickoff meeting too. We "
                "have asked the landscape architect to include shade structures and new trees in "
                "the concept design, and we are checking whether shade sails can go up this "
                "summer as a quick win from the park maintenance budget.</p>",
                days=4,
            ),
        ),
    ),
    Idea(
        author="tom",
        title="Fix the flooding on the river trail",
        body="<p>Every time it rains, the trail between the boat ramp and the footbridge turns "
        "into a pond for days. People walk around it on the grass and the muddy patch keeps "
        "getting wider. The trail needs to be raised or get proper drainage underneath.</p>",
        day=12,
        at="07:05",
        topics=("parks", "water"),
        place=Place("39.866900", "-89.630800", "River trail between the boat ramp and the bridge"),
        likes=21,
        comments=(
            Comment(
                "raj", "I bike this every day. It's been like this for at least three years.", 5
            ),
            Comment(
                "dana",
                "Thanks for flagging this. Public Works will survey the trail grade this month so "
                "the repair can be priced into the design.",
                28,
            ),
        ),
    ),
    Idea(
        author="aisha",
        title="Community garden plots along Oak Street",
        body="<p>The strip of lawn between the parking lot and Oak Street is only used by geese. "
        "Twenty raised garden beds with a water hookup would give people in the apartments "
        "nearby a place to grow food, and the Riverside Garden Club has offered to run the "
        "sign-ups.</p>",
        day=11,
        at="18:45",
        topics=("parks", "environment"),
        place=Place("39.864100", "-89.635900", "Oak Street edge of Riverside Park"),
        likes=14,
        comments=(
            Comment(
                "linda",
                "I'd sign up in a heartbeat. Please include a couple of waist-high beds for "
                "people who can't kneel.",
                6,
                replies=(
                    Comment("aisha", "Great point, I'll add accessible beds to the idea.", 8),
                ),
            ),
        ),
    ),
    Idea(
        author="kevin",
        title="Turn one tennis court into four pickleball courts",
        body="<p>The two tennis courts are empty most of the day, while pickleball players drive "
        "across town to Lakeview. Converting one court into four pickleball courts costs little "
        "(new lines and nets) and would bring people to the park in the evenings.</p>",
        day=10,
        at="20:10",
        topics=("parks",),
        place=Place("39.863600", "-89.632700", "Tennis courts, Riverside Park"),
        likes=23,
        comments=(
            Comment(
                "dave",
                "Please keep at least one tennis court! My kids take lessons there.",
                1,
                replies=(
                    Comment("kevin", "That's exactly why the idea is to convert only one.", 2),
                ),
            ),
            Comment("emily", "Maybe schedule the courts so both groups get prime time?", 25),
            Comment(
                "marcus", "Pickleball is loud. Please think about the houses on River Road.", 30
            ),
        ),
    ),
    Idea(
        author="jenny",
        title="Lights on the pedestrian bridge",
        body="<p>The footbridge over the river is the shortest way from the North End to the "
        "park and the bus on Peoria Road. It's pitch dark after 5pm in winter and a lot of us "
        "avoid it. Low, warm LED lights along the railing would help without lighting up the "
        "river.</p>",
        day=8,
        at="19:30",
        topics=("safety", "parks"),
        place=Place("39.867500", "-89.631600", "Footbridge over the river"),
        likes=19,
        comments=(Comment("sam", "Agreed. I walk my dog there and it's creepy at night.", 4),),
    ),
    Idea(
        author="marcus",
        title="Water bottle refill station by the playground",
        body="<p>A drinking fountain with a bottle filler next to the playground, please. The "
        "only fountain is at the community center and it's often locked.</p>",
        day=7,
        at="12:15",
        topics=("parks",),
        place=Place("39.865000", "-89.634600", "Playground, Riverside Park"),
        likes=12,
        comments=(Comment("maria", "Yes, and one near the dog park too.", 5),),
    ),
    Idea(
        author="linda",
        title="Native prairie instead of mowed lawn on the east slope",
        body="<p>The steep east slope is mowed every week and nobody uses it. A native prairie "
        "with coneflowers, little bluestem and milkweed would save mowing costs, help monarch "
        "butterflies and slow down runoff into the river. A couple of signs could explain "
        "what it is.</p>",
        day=5,
        at="10:40",
        topics=("environment", "parks"),
        place=Place("39.865800", "-89.629900", "East slope above the river"),
        likes=16,
        comments=(
            Comment("raj", "Love this. A prairie would look great from the trail.", 3),
            Comment(
                "tom",
                "Just make sure it doesn't look abandoned. A mowed edge along the path helps.",
                22,
                replies=(
                    Comment("linda", "Yes, a mowed border is standard for prairie plantings.", 24),
                ),
            ),
        ),
    ),
    Idea(
        author="raj",
        title="Bike repair stand at the trailhead",
        body="<p>A bike repair stand with tools on cables and an air pump at the trailhead "
        "parking lot. It costs a couple of thousand dollars and saves a long walk home with a "
        "flat tire.</p>",
        day=3,
        at="17:55",
        topics=("parks", "transit"),
        place=Place("39.866200", "-89.632400", "Trailhead parking lot"),
        likes=9,
        comments=(Comment("kevin", "And please make it an air pump that actually works.", 6),),
    ),
    Idea(
        author="emily",
        title="Accessible kayak launch",
        body="<p>The boat ramp is steep concrete, which makes it hard to launch a kayak and "
        "impossible for paddlers with disabilities. An accessible floating launch with a "
        "slide-in rail would bring many more people to the river.</p>",
        day=2,
        at="08:30",
        topics=("parks",),
        place=Place("39.866400", "-89.630300", "Boat ramp, Riverside Park"),
        likes=11,
        comments=(
            Comment(
                "aisha",
                "My brother uses a wheelchair and loves paddling. This would be amazing.",
                5,
            ),
        ),
    ),
)

RIVERSIDE_PROJECT = Project(
    slug="riverside-park-refresh",
    title={"en": "Riverside Park Refresh: share your ideas"},
    description={
        "en": "<p>Riverside Park is 40 years old. Its playground, restrooms and trails are due "
        "for renewal, and the city has set aside <strong>$2.4 million</strong> in the capital "
        "plan. Before a landscape architect draws anything, we want to know how you use the "
        "park today and what would make you come more often.</p><p>Post your ideas, drop a pin "
        "on the map and comment on your neighbors' ideas. Parks &amp; Recreation staff read "
        "every post and answer here.</p>"
    },
    topics=("parks", "environment", "youth"),
    area="riverside",
    folder=FORWARD_FOLDER.slug,
    phases=(
        Phase(
            method="information",
            title={"en": "Kickoff meeting and site walk"},
            description={
                "en": "<p>Over 80 neighbors joined the kickoff at the Riverside Community Center "
                "and the Saturday site walk.</p>"
            },
            starts=-30,
            ends=-14,
        ),
        Phase(
            method="ideation",
            title={"en": "Share your ideas"},
            description={
                "en": "<p>What should change in Riverside Park? Describe your idea and pin it "
                "on the map.</p>"
            },
            starts=-14,
            ends=21,
            ideas=RIVERSIDE_IDEAS,
        ),
    ),
)

# --- Main Street: a finished consultation, every idea answered ----------------------------------

MAIN_STREET_IDEAS = (
    Idea(
        author="dave",
        title="Curb extensions at Main & 5th",
        body="<p>Crossing Main at 5th means walking across four lanes while cars turn fast from "
        "both sides. Curb extensions would shorten the crossing and slow turning cars down. The "
        "corner by the coffee shop is also the bus stop, so a bump-out could double as a bus "
        "boarding area.</p>",
        day=128,
        at="08:30",
        topics=("streets", "safety"),
        place=Place("39.801200", "-89.647800", "Main St & 5th St"),
        likes=22,
        dislikes=2,
        comments=(
            Comment("sam", "This is the scariest crossing downtown.", 3),
            Comment(
                "marcus",
                "Would this remove parking spaces?",
                26,
                replies=(Comment("dave", "Two spaces at most, one on each corner.", 28),),
            ),
        ),
        answers=(
            Answer(
                "accepted",
                "<p>Curb extensions at all four corners of Main &amp; 5th are in the final "
                "design, with a bus bulb on the northeast corner. Two parking spaces will be "
                "removed. Construction is planned for next spring, funded by the federal Safe "
                "Streets for All grant.</p>",
                days=30,
            ),
        ),
    ),
    Idea(
        author="sam",
        title="Give pedestrians a head start at downtown signals",
        body="<p>Give people walking a 3–5 second head start at every downtown signal before "
        "cars get a green light, so turning drivers see them in the crosswalk. It's cheap "
        "(just signal timing) and cities that did it saw big drops in pedestrian crashes.</p>",
        day=126,
        at="12:00",
        topics=("safety",),
        likes=25,
        comments=(
            Comment("linda", "Simple and cheap. Why not do this right away?", 5),
            Comment(
                "dana",
                "Good question, Linda. Our traffic engineers are checking the signal "
                "controllers; the older ones may need an upgrade first.",
                30,
            ),
        ),
        answers=(
            Answer(
                "accepted",
                "<p>Our traffic engineers confirmed that 9 of the 11 signals on Main Street can "
                "run leading pedestrian intervals with their current controllers. The other two "
                "get new controllers this year.</p>",
                days=14,
            ),
            Answer(
                "implemented",
                "<p>Leading pedestrian intervals of 4 seconds now run at all 11 signals on Main "
                "Street between 2nd and 9th. We will report crash numbers after one year.</p>",
                days=70,
                at="14:20",
            ),
        ),
    ),
    Idea(
        author="tom",
        title="Lower the speed limit to 25 mph",
        body="<p>Main Street is a downtown shopping street, not a highway, but the limit is 35 "
        "and people drive 40. A 25 mph limit, with signals timed for 25, would make it safer "
        "and quieter.</p>",
        day=124,
        at="21:20",
        topics=("safety", "streets"),
        likes=19,
        dislikes=8,
        comments=(
            Comment(
                "kevin",
                "I drive Main every day and 25 is too slow. 30, maybe.",
                2,
                replies=(
                    Comment(
                        "tom",
                        "At 25 a pedestrian hit by a car is far more likely to survive than at 35.",
                        4,
                    ),
                ),
            ),
            Comment("jenny", "Support. The sidewalk cafés are right next to traffic.", 20),
        ),
        answers=(
            Answer(
                "accepted",
                "<p>City Council approved a 25 mph speed limit on Main Street between 2nd and 9th "
                "Streets. Signals will be re-timed so that drivers who keep to the limit get "
                "green lights.</p>",
                days=40,
                at="16:00",
            ),
        ),
    ),
    Idea(
        author="aisha",
        title="Protected bike lane on Main Street",
        body="<p>Right now there is no safe way to bike downtown. A protected bike lane (with a "
        "curb or planters, not just paint) on Main would connect the river trail to the "
        "Capitol and the library.</p>",
        day=121,
        at="17:10",
        topics=("streets", "transit"),
        likes=17,
        dislikes=12,
        comments=(
            Comment("marcus", "Main is too narrow for that. Monroe would be better.", 3),
            Comment(
                "raj", "Whatever street it ends up on, please make it protected, not paint.", 5
            ),
        ),
        answers=(
            Answer(
                "under-consideration",
                "<p>We are comparing a protected bike lane on Main Street with one on parallel "
                "Monroe Street.</p>",
                days=10,
            ),
            Answer(
                "rejected",
                "<p>Main Street is 60 feet wide from curb to curb. A protected bike lane would "
                "mean removing all on-street parking or a travel lane that buses need, and the "
                "survey of business owners showed strong opposition to removing parking. "
                "Instead, the design includes a two-way protected bike lane on <strong>Monroe "
                "Street</strong>, one block north, from the river trail to 9th Street. That "
                "project is funded and will be built together with the Main Street "
                "changes.</p>",
                days=45,
            ),
        ),
    ),
    Idea(
        author="linda",
        title="A safe crossing in front of the Central Library",
        body="<p>Hundreds of people cross Main Street mid-block to reach the Central Library "
        "from the parking garage. There's no crosswalk, so people dart between cars. A marked "
        "crosswalk with a flashing beacon would fix this.</p>",
        day=118,
        at="10:05",
        topics=("safety", "library"),
        place=Place("39.800200", "-89.649500", "Main St in front of the Central Library"),
        likes=20,
        comments=(Comment("emily", "Yes, with kids in tow this is dangerous.", 4),),
        answers=(
            Answer(
                "implemented",
                "<p>A marked mid-block crosswalk with a pedestrian refuge island and a "
                "rectangular rapid flashing beacon has been installed in front of the Central "
                "Library. Thanks for the suggestion!</p>",
                days=55,
            ),
        ),
    ),
    Idea(
        author="marcus",
        title="Keep on-street parking in front of shops",
        body="<p>Small businesses on Main depend on customers who park right outside. Whatever "
        "the redesign does, please keep the on-street parking.</p>",
        day=114,
        at="19:45",
        topics=("streets",),
        likes=11,
        dislikes=9,
        comments=(
            Comment(
                "aisha",
                "Parking matters, but so does the safety of people who walk to these shops.",
                3,
                replies=(
                    Comment("marcus", "Fair. I'm fine with losing a few spaces at corners.", 5),
                ),
            ),
        ),
        answers=(
            Answer(
                "accepted",
                "<p>The final design keeps 118 of the 126 on-street parking spaces on Main "
                "Street. The eight spaces removed are at corners, where curb extensions improve "
                "visibility at crosswalks.</p>",
                days=35,
            ),
        ),
    ),
    Idea(
        author="kevin",
        title="Pedestrian scramble at Main & Capitol",
        body="<p>Stop all cars at Main &amp; Capitol for one phase and let people cross in every "
        "direction, diagonals included. It's the busiest corner downtown at lunchtime.</p>",
        day=110,
        at="08:50",
        topics=("safety",),
        place=Place("39.801700", "-89.645200", "Main St & Capitol Ave"),
        likes=14,
        dislikes=3,
        comments=(Comment("sam", "Love scrambles. They work great in other cities.", 6),),
        answers=(
            Answer(
                "under-consideration",
                "<p>A scramble at Main &amp; Capitol would add about 20 seconds to each signal "
                "cycle. We will test it during the downtown festivals this summer and decide "
                "based on the results.</p>",
                days=50,
            ),
        ),
    ),
    Idea(
        author="jenny",
        title="Street trees on the 400 block",
        body="<p>The 400 block of Main has no trees at all, while the 300 block looks lovely. "
        "Trees in tree grates would shade the sidewalk cafés and make people want to walk "
        "there.</p>",
        day=100,
        at="13:30",
        topics=("environment", "streets"),
        place=Place("39.800800", "-89.646500", "400 block of Main St"),
        likes=18,
        comments=(
            Comment("linda", "Please choose species that don't drop fruit on the sidewalk.", 4),
        ),
        answers=(
            Answer(
                "accepted",
                "<p>The design adds 14 street trees (honey locust and swamp white oak) in "
                "structural soil cells on the 400 block, planted with the curb work next "
                "spring.</p>",
                days=38,
            ),
        ),
    ),
)

MAIN_STREET_PROJECT = Project(
    slug="main-street-safety",
    title={"en": "Main Street Safety Corridor"},
    description={
        "en": "<p>Main Street between 2nd and 9th Streets had 61 crashes in the last three "
        "years, 9 of them involving people walking or biking. The city is redesigning the "
        "corridor with a federal Safe Streets for All grant.</p><p>This consultation collected "
        "residents' ideas for the redesign. Every idea received an answer from the Department "
        "of Public Works; the final design went to City Council for approval.</p>"
    },
    topics=("streets", "safety", "transit"),
    area="downtown",
    phases=(
        Phase(
            method="information",
            title={"en": "Crash data and walking audit"},
            description={
                "en": "<p>We published three years of crash data and walked the corridor with "
                "residents, business owners and the Disability Advisory Committee.</p>"
            },
            starts=-150,
            ends=-130,
        ),
        Phase(
            method="ideation",
            title={"en": "Your ideas for Main Street"},
            description={"en": "<p>Tell us what would make Main Street safer for everyone.</p>"},
            starts=-130,
            ends=-95,
            options={"reaction_mode": "likes_dislikes"},
            ideas=MAIN_STREET_IDEAS,
        ),
        Phase(
            method="information",
            title={"en": "What we heard"},
            description={
                "en": "<p>Every idea has an answer from the city. The recommendations are part "
                "of the design presented to City Council.</p>"
            },
            starts=-95,
            ends=-40,
        ),
    ),
)

# --- Lead service lines: information only -------------------------------------------------------

LEAD_LINES_PROJECT = Project(
    slug="lead-service-line-replacement",
    title={"en": "Lead Service Line Replacement: what homeowners need to know"},
    description={
        "en": "<p>Some older homes in Springfield still get their water through a lead service "
        "line, the pipe that connects the water main under the street to the house. The city "
        "is replacing all of them over the next four years, at no cost to most homeowners.</p>"
        "<h2>Who is affected</h2><p>About 4,800 homes built before 1960, mostly in the North "
        "End, the Old Mill District, Capitol Heights and Westgate. Every affected household "
        "receives a letter at least 30 days before work on its street begins.</p>"
        "<h2>What the city pays for</h2><ul><li>Replacing the public side of the line, from the "
        "main to the curb stop;</li><li>Replacing the private side, from the curb stop to the "
        "meter, up to $7,500 per home;</li><li>Restoring lawns, sidewalks and driveways "
        "disturbed by the work.</li></ul>"
        "<h2>Schedule</h2><ol><li><strong>This year</strong>: North End and Old Mill "
        "District;</li><li><strong>Next year</strong>: Capitol Heights and Westgate;</li>"
        "<li><strong>Years three and four</strong>: remaining streets citywide.</li></ol>"
        "<h2>What you can do now</h2><ul><li>If your water has not been used for several hours, "
        "run the cold tap for 3–5 minutes before drinking or cooking.</li><li>Use only cold "
        "water for drinking, cooking and baby formula.</li><li>Use a filter certified to NSF/ANSI "
        "Standard 53 for lead; the city gives filters free to households with children under "
        "six.</li></ul>"
        '<h2>Contact</h2><p>Lead line program: <a href="mailto:leadlines@springfield.example'
        '">leadlines@springfield.example</a>, or visit the Water Department counter at City '
        "Hall, weekdays 8am–4:30pm.</p>"
    },
    topics=("water",),
    phases=(
        Phase(
            method="information",
            title={"en": "Program information"},
            description={"en": "<p>We update the schedule as each neighborhood starts.</p>"},
            starts=-25,
            ends=None,
        ),
    ),
)

# --- Library hours: a consultation that has not started yet -------------------------------------

LIBRARY_PROJECT = Project(
    slug="library-hours",
    title={"en": "Library hours: when would you visit?"},
    description={
        "en": "<p>The Springfield Public Library is considering a one-year pilot with longer "
        "evening and Sunday hours at the Central Library and the Westgate branch. Soon you can "
        "tell us which hours would work for you and what you would use the library for.</p>"
    },
    topics=("library", "youth"),
    area="westgate",
    phases=(
        Phase(
            method="ideation",
            title={"en": "Tell us when you'd visit"},
            description={"en": "<p>Share which hours and services matter to you.</p>"},
            starts=12,
            ends=40,
        ),
    ),
)

# --- Parks & Recreation survey (open), with a skip rule ------------------------------------------

PARKS_SURVEY_PROJECT = Project(
    slug="parks-survey-2026",
    title={"en": "Parks & Recreation survey 2026"},
    description={
        "en": "<p>The Park District is writing its next five-year plan. Tell us how you use "
        "Springfield's parks and what you would like us to invest in first. The survey takes "
        "about four minutes; results will be posted here.</p>",
    },
    topics=("parks", "youth"),
    phases=(
        Phase(
            method="survey",
            title={"en": "Survey"},
            description={"en": "<p>Open until the end of next month.</p>"},
            starts=-9,
            ends=20,
            options={"results_public": True},
            survey=DemoSurvey(
                intro={
                    "en": "Thanks for helping plan Springfield's parks. If you rarely visit a "
                    "park, we skip straight to your priorities.",
                },
                thank_you={"en": "Thank you! The Park District will share the results in June."},
                pages=(
                    DemoSurveyPage(
                        title={"en": "Your visits"},
                        questions=(
                            DemoQuestion(
                                "single",
                                {"en": "How often do you visit a Springfield park?"},
                                choices=(
                                    {"en": "Several times a week"},
                                    {"en": "About once a week"},
                                    {"en": "A few times a month"},
                                    {"en": "Rarely or never"},
                                ),
                                required=True,
                            ),
                        ),
                        # Rare visitors skip the questions about their park.
                        skips=(DemoSkip(question=0, value="c4", to_page=2),),
                    ),
                    DemoSurveyPage(
                        title={"en": "Your park"},
                        questions=(
                            DemoQuestion(
                                "single",
                                {"en": "Which park do you visit most?"},
                                choices=(
                                    {"en": "Washington Park"},
                                    {"en": "Lincoln Park"},
                                    {"en": "Riverside Park"},
                                    {"en": "Old Mill Green"},
                                ),
                            ),
                            DemoQuestion(
                                "scale",
                                {"en": "How would you rate its upkeep?"},
                                scale=(1, 5),
                                scale_labels=({"en": "Poor"}, {"en": "Excellent"}),
                            ),
                        ),
                    ),
                    DemoSurveyPage(
                        title={"en": "Priorities"},
                        questions=(
                            DemoQuestion(
                                "multiple",
                                {"en": "What should the Park District invest in first?"},
                                choices=(
                                    {"en": "Restrooms open all year"},
                                    {"en": "Lighting on trails"},
                                    {"en": "Shade trees and shelters"},
                                    {"en": "Programs for teens"},
                                ),
                                required=True,
                            ),
                            DemoQuestion(
                                "long_text",
                                {"en": "Anything else you would like us to know?"},
                            ),
                        ),
                    ),
                ),
                responses=(
                    DemoSurveyResponse(
                        "maria", ("c1", "c3", 3, ("c1", "c3"), "More water fountains."), day=8
                    ),
                    DemoSurveyResponse("tom", ("c2", "c1", 4, ("c2",), None), day=7),
                    DemoSurveyResponse(
                        "aisha", ("c4", ("c4",), "Our kids need somewhere to go."), day=6
                    ),
                    DemoSurveyResponse("kevin", ("c3", "c2", 2, ("c1", "c2"), None), day=5),
                    DemoSurveyResponse(
                        "jenny",
                        ("c1", "c3", 4, ("c3",), "The splash pad is the best thing in town."),
                        day=4,
                    ),
                    DemoSurveyResponse("marcus", ("c4", ("c2", "c4"), None), day=3),
                    DemoSurveyResponse("linda", ("c2", "c4", 5, ("c1",), None), day=2),
                ),
            ),
        ),
    ),
)

# --- Volunteering: spring clean-up and reading buddies -------------------------------------------

VOLUNTEER_PROJECT = Project(
    slug="volunteer-springfield",
    title={"en": "Volunteer Springfield: spring 2026"},
    description={
        "en": "<p>Give a Saturday morning or an hour a week. City staff coordinate each "
        "activity and provide gloves, bags, snacks and training.</p>",
    },
    topics=("parks", "library", "environment"),
    area="riverside",
    phases=(
        Phase(
            method="volunteering",
            title={"en": "Sign up"},
            description={
                "en": "<p>Sign up below; the coordinator will e-mail you the details.</p>"
            },
            starts=-12,
            ends=30,
            causes=(
                DemoCause(
                    title={"en": "Riverside Park clean-up crew"},
                    description={
                        "en": "<p>Saturday, 9 a.m. to noon: litter pick-up along the river "
                        "trail and mulching around the new trees. Meet at the boathouse.</p>",
                    },
                    needed=20,
                    volunteers=("maria", "raj", "emily", "dave", "sam", "tom"),
                ),
                DemoCause(
                    title={"en": "Reading buddies at Lincoln Library"},
                    description={
                        "en": "<p>Read with a first- or second-grader for one hour a week, "
                        "Tuesday or Thursday after school. A background check is required.</p>",
                    },
                    needed=8,
                    volunteers=("jenny", "linda", "aisha"),
                ),
            ),
        ),
    ),
)

# --- A city-wide event -------------------------------------------------------------------------

CITY_EVENTS = (
    DemoEvent(
        title={"en": "Town hall: Main Street safety plan update"},
        description={
            "en": "<p>Public Works presents the final design of the Main Street safety "
            "improvements, including the new crossings and the construction schedule, followed "
            "by questions from residents. ASL interpretation is provided.</p>",
        },
        place={"en": "Municipal Center, 800 E Monroe St, Council Chambers"},
        days=6,
        at="18:30",
        hours=1.5,
        capacity=80,
        latitude="39.799000",
        longitude="-89.649000",
        registrations=12,
    ),
)

CONTENT = DemoContent(
    manager=MANAGER,
    residents=RESIDENTS,
    supporters=SUPPORTERS,
    supporter_language="en",
    topics=TOPICS,
    areas=AREAS,
    folders=(FORWARD_FOLDER,),
    projects=(MAIN_STREET_PROJECT, LEAD_LINES_PROJECT, LIBRARY_PROJECT, RIVERSIDE_PROJECT),
    participation=(PARKS_SURVEY_PROJECT, VOLUNTEER_PROJECT),
    events=CITY_EVENTS,
)
