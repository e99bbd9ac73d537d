"""Demo threads for `make run`: written by us, in natural Dutch, about real situations with parents.
Nobody in them is real. Names of children, schools and the like appear only in the posts that show
the privacy check at work; everywhere else they are replaced as the guidelines ask.

Posts are written in this order and screened like real ones (``forum.demo``). ``status`` is what
the demo moderator makes of a post: "approved" (approved if screening holds it), "pending" (needs
a real reason to wait: a privacy finding, a watched word, a new or always-moderated author),
"returned" with a ``note``, "rejected" with a ``reason``. ``always_moderate`` (a reason) sets the
author to always moderate after that. Bodies are Markdown without line breaks inside a paragraph.
"""

DEMO_THREADS: list[dict] = [
    {
        "setting": "school",
        "kind": "question",
        "title": "Ouder die nooit op oudergesprekken komt",
        "author": "lid@example.org",
        "anonymous": False,
        "status": "approved",
        "body": (
            "Ik zit met een vraag over een moeder van een jongen uit mijn groep. Ze is al drie "
            "keer niet op het oudergesprek gekomen. Geen afmelding, en geen reactie op mijn "
            "berichtjes in de ouderapp.\n\n"
            "Wat ik wil weten: **hoe krijg ik contact met een ouder die steeds niet komt?** En "
            "wanneer laat ik het los?\n\n"
            "Wat context:\n"
            "- Haar zoon doet goed mee in de klas, maar heeft moeite met lezen. Daar wil ik het "
            "graag samen over hebben.\n"
            "- Bij het ophalen zie ik haar nooit. Hij loopt zelf naar huis of wordt door een "
            "buurvrouw gehaald.\n"
            "- Ik weet niet of er thuis iets speelt, of dat school voor haar gewoon een drempel is."
            "\n\n"
            "Ik wil niet dat het voelt alsof ik haar achternazit. Maar ik wil ook niet dat dit "
            "gesprek er nooit komt. Wie heeft hier ervaring mee?"
        ),
        "replies": [
            {
                "author": "moderator@example.org",
                "body": (
                    "Herkenbaar. Wat bij ons hielp: de vaste gespreksavond loslaten en de moeder "
                    "zelf een moment laten kiezen. Soms is 's avonds om zeven uur gewoon "
                    "onmogelijk, door werk of door andere kinderen thuis. Ik stuurde ook geen "
                    "bericht via de app meer, maar gaf haar zoon een kort briefje mee met twee "
                    "tijden en het telefoonnummer van school. Ze belde de dag erna."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "pm@example.org",
                "body": (
                    "Misschien kun je het gesprek kleiner maken? Een 'oudergesprek' klinkt voor "
                    "sommige ouders als een beoordeling van hun kind, of van henzelf. Een "
                    "kwartiertje koffie na schooltijd, zonder formulier, voelt heel anders. En "
                    "begin met iets wat goed gaat."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "lid@example.org",
                "body": (
                    "Dank jullie! Het briefje met twee tijden ga ik proberen, en het woord "
                    "'oudergesprek' laat ik weg. Ik laat weten hoe het gaat."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "jongerenwerk@example.org",
                "body": (
                    "Kijk ook eens naar de rol van die buurvrouw. Soms is er iemand in het netwerk "
                    "van een gezin die een brug kan zijn naar school. Vraag wel eerst aan de "
                    "moeder of ze dat goed vindt, natuurlijk."
                ),
                "status": "approved",
                "anonymous": False,
            },
        ],
    },
    {
        "setting": "school",
        "kind": "dilemma",
        "title": "Zorg over een stil meisje delen met ouders: nu al, of eerst beter kijken?",
        "author": "lid@example.org",
        "anonymous": False,
        "status": "approved",
        "body": (
            "**Wat er speelt:** een meisje uit mijn groep is de laatste weken erg stil. Ze was "
            "altijd vrolijk en kletste veel. Nu zit ze in de pauze vaak alleen en is ze snel moe. "
            "Haar werk gaat nog prima, en er is niets concreets gebeurd.\n\n"
            "**Welke belangen botsen:** ouders hebben recht om te weten wat ik zie. Maar ik wil ze "
            "ook niet ongerust maken over iets wat misschien een fase is. En ik ben bang dat het "
            "gesprek voelt als een verwijt, alsof ik vraag: 'Wat is er thuis aan de hand?'\n\n"
            "**Wat ik afweeg:**\n"
            "- Nu bellen, en zeggen dat ik het vooral wil delen en benieuwd ben wat zij zien.\n"
            "- Eerst twee weken gericht kijken en het opschrijven, zodat ik iets concreets heb.\n"
            "- Eerst overleggen met onze intern begeleider.\n\n"
            "Mijn gevoel zegt: niet te lang wachten. Maar hoe breng ik het zonder dat ouders "
            "meteen in de verdediging gaan?"
        ),
        "replies": [
            {
                "author": "moderator@example.org",
                "body": (
                    "Ik zou niet wachten tot je 'genoeg' hebt. Ouders vinden het vaak juist fijn "
                    "als je vroeg iets deelt, zolang je het brengt als vraag en niet als "
                    'conclusie. Bijvoorbeeld: "Ik zie dat ze de laatste tijd stiller is. '
                    'Herkennen jullie dat thuis ook?" Zo nodig je ze uit als deskundigen van hun '
                    "eigen kind."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "pm@example.org",
                "body": (
                    "Je hoeft niet te kiezen, je kunt het combineren. Bel nu kort, en spreek af "
                    "dat jullie over twee weken samen terugkijken. Dan hoeven ouders niet meteen "
                    "een verklaring te hebben, en kun jij intussen gericht kijken. Het overleg met "
                    "je intern begeleider kan tegelijk."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "lid@example.org",
                "body": (
                    "Goed punt, dank jullie. Ik heb gebeld. De moeder vertelde dat hun hond kort "
                    "geleden is overleden en dat haar dochter daar thuis ook veel om huilt. Fijn "
                    "dat we het nu van elkaar weten. We houden contact."
                ),
                "status": "approved",
                "anonymous": False,
            },
        ],
    },
    {
        "setting": "school",
        "kind": "example",
        "title": "Vader boos over een toetsuitslag: wat hielp in het gesprek",
        "author": "lid@example.org",
        "anonymous": False,
        "status": "approved",
        "body": (
            "**De situatie:** na de toetsen van het leerlingvolgsysteem stond een vader de "
            "volgende ochtend in de klas. Zijn dochter had voor rekenen een veel lagere score dan "
            "vorig jaar. Hij was boos en zei, waar de hele klas bij was:\n\n"
            "> Jullie doen hier niks met haar. Ze kan dit gewoon, het ligt aan jullie.\n\n"
            "**Wat ik deed:** ik ben niet meteen op de inhoud ingegaan. Ik zei dat ik zag dat hij "
            "zich zorgen maakte en dat ik daar echt tijd voor wilde nemen, maar niet tussen de "
            "jassen. We spraken af voor dezelfde middag. In dat gesprek vroeg ik eerst wat hij "
            "thuis ziet. Pas daarna liet ik haar schriften zien en legde ik uit dat één toets een "
            "momentopname is.\n\n"
            "**Wat het opleverde:** hij bleek vooral bang dat ze 'achter zou raken', zoals hij "
            "zelf vroeger. Dat vertelde hij pas na een kwartier. We hebben nu afgesproken dat ze "
            "thuis tien minuten per dag de tafels oefent met een spelletje, en dat ik over zes "
            "weken laat weten hoe het in de klas gaat. Het begin was lastig, maar we gingen met "
            "een handdruk uit elkaar."
        ),
        "replies": [
            {
                "author": "moderator@example.org",
                "body": (
                    'Mooi hoe je het gesprek uit de klas haalde zonder hem weg te sturen. "Niet '
                    'tussen de jassen" ga ik onthouden. Dat kun je zeggen zonder dat een ouder '
                    "zich afgewezen voelt."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "jongerenwerk@example.org",
                "body": (
                    "Die angst achter de boosheid zie ik ook vaak bij ouders van tieners. Boosheid "
                    "is vaak de buitenkant. Goed dat je eerst vroeg wat hij thuis ziet: dan voelt "
                    "hij zich serieus genomen, en kan hij daarna ook naar jou luisteren."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "pm@example.org",
                "body": (
                    "Een vraag: hoe ging het daarna met de rest van de klas? Kinderen pikken zo'n "
                    "binnenkomst goed op. Heb je het er met ze over gehad?"
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "lid@example.org",
                "body": (
                    "Ja, kort. Ik zei dat grote mensen soms ook boos worden als ze zich zorgen "
                    "maken, en dat we het samen hebben opgelost. Dat vonden ze genoeg, en ze "
                    "gingen weer verder met rekenen."
                ),
                "status": "approved",
                "anonymous": False,
            },
        ],
    },
    {
        "setting": "school",
        "kind": "dilemma",
        "title": "Gescheiden ouders zijn het oneens over wie welke informatie krijgt",
        "author": "lid@example.org",
        "anonymous": True,
        "status": "approved",
        "body": (
            "**Wat er speelt:** de ouders van een jongen uit mijn groep zijn gescheiden. Hij woont "
            "vooral bij zijn moeder. Beide ouders hebben het gezag. De moeder vraagt mij om "
            "rapporten en uitnodigingen alleen naar haar te sturen:\n\n"
            "> Hij bemoeit zich nergens mee, en elke keer als hij iets hoort, wordt het thuis "
            "onrustig.\n\n"
            "De vader vraagt juist of hij apart de uitnodigingen voor oudergesprekken kan krijgen. "
            "Hij zegt dat hij nooit iets hoort.\n\n"
            "**Welke belangen botsen:** rust voor de jongen en de wens van zijn moeder, tegenover "
            "het recht van zijn vader op informatie. En ik wil niet tussen de ouders in komen te "
            "staan.\n\n"
            "**Wat ik afweeg:** ik weet dat beide ouders met gezag in principe dezelfde informatie "
            "krijgen. Maar hoe zeg ik dat tegen de moeder zonder dat zij denkt dat school partij "
            "kiest? En bied ik twee aparte gesprekken aan, of juist één gesprek samen?"
        ),
        "replies": [
            {
                "author": "moderator@example.org",
                "body": (
                    "Wat je schrijft klopt: ouders met gezag hebben allebei recht op dezelfde "
                    "informatie over hun kind. Dat is dus geen keuze van jou, en ook niet van de "
                    "moeder. Kijk of jullie school een protocol heeft voor gescheiden ouders. Dan "
                    'kun je zeggen: "Zo doen we het bij alle ouders." Dan ben jij niet degene '
                    "die partij kiest. Ook een ouder zonder gezag kan trouwens informatie vragen, "
                    "al zijn de regels daar iets anders."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "pm@example.org",
                "body": (
                    "Op de bso bieden we in zo'n situatie aparte gesprekken aan als samen niet "
                    "lukt. Dat is meer werk, maar je hoort twee kanten van het verhaal. En het "
                    "kind merkt er niks van dat er twee keer over hem gepraat wordt."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "lid@example.org",
                "body": (
                    "Dank voor het meedenken. We blijken inderdaad een protocol te hebben. Ik heb "
                    "het de moeder laten lezen, en ze begreep het beter dan ik had gedacht. De "
                    "vader krijgt nu ook de uitnodigingen, en we praten voorlopig apart."
                ),
                "status": "approved",
                "anonymous": True,
            },
        ],
    },
    {
        "setting": "school",
        "kind": "example",
        "title": "Oudergesprek met een tolk en plaatjes: zo ging het",
        "author": "lid@example.org",
        "anonymous": False,
        "status": "approved",
        "body": (
            "**De situatie:** in mijn groep zit sinds kort een meisje van wie de ouders weinig "
            "Nederlands spreken. Het eerste gesprek deden we met haar oudere broer als tolk. "
            "Achteraf vond ik dat geen goed idee. Hij vertaalde heel kort, en ik wist niet wat hij "
            "wegliet.\n\n"
            "**Wat ik deed:** voor het tweede gesprek heb ik via school een professionele tolk "
            "geregeld, via de telefoon. Daarnaast maakte ik een vel met plaatjes: de dagindeling, "
            "een foto van het lokaal zonder kinderen erop, en pictogrammen voor gym, lezen en "
            "buitenspelen. Ik sprak in korte zinnen en liet de tolk steeds een stukje vertalen.\n\n"
            "**Wat het opleverde:**\n"
            "- De ouders stelden veel meer vragen dan de eerste keer.\n"
            "- De moeder wees naar het plaatje van gym en vertelde dat haar dochter geen "
            "sportkleren heeft. Dat had ik anders nooit gehoord.\n"
            "- Ze vroegen of ze het vel met plaatjes mee naar huis mochten nemen. Het hangt nu bij "
            "hen op de koelkast, zei de vader.\n\n"
            "Het kost wat meer voorbereiding, maar ik ga dit vaker doen."
        ),
        "replies": [
            {
                "author": "onderzoek@example.org",
                "body": (
                    "Mooi voorbeeld, dank voor het delen. Dat je kinderen liever niet als tolk "
                    "inzet, zien we ook vaak terug als advies: het legt een zware rol bij een "
                    "kind. Op https://www.nji.nl vind je meer over samenwerken met ouders. Mag ik "
                    "vragen hoe je de tolk hebt geregeld?"
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "lid@example.org",
                "body": (
                    "Via onze directeur. Onze school blijkt een afspraak te hebben met een "
                    "tolkendienst. Ik wist eerlijk gezegd niet dat dat er was, dus vraag het "
                    "gewoon na op je eigen school."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "pm@example.org",
                "body": (
                    "Die plaatjes ga ik lenen voor onze intakegesprekken op het kinderdagverblijf. "
                    "Slim om een foto van de ruimte te gebruiken zonder kinderen erop, dan hoef je "
                    "ook niemand om toestemming te vragen."
                ),
                "status": "approved",
                "anonymous": False,
            },
        ],
    },
    {
        "setting": "school",
        "kind": "question",
        "title": "Ouder zet kritiek op mij in de groepsapp van de klas: wat doe ik?",
        "author": "lid@example.org",
        "anonymous": False,
        "status": "approved",
        "body": (
            "Wat ik wil weten: hoe reageer je als een ouder in de groepsapp van de klas kritiek op "
            "je geeft?\n\n"
            "Context: de ouders van mijn groep hebben een eigen WhatsApp-groep. Ik zit er zelf "
            "niet in. Een andere ouder stuurde me een screenshot. Een moeder schreef daarin dat ik "
            "'haar zoon altijd de schuld geef' na een ruzie op het plein. Een paar ouders "
            "reageerden met duimpjes.\n\n"
            "Ik vind het vervelend, en eerlijk gezegd ook een beetje eng. Mijn vragen:\n"
            "- Reageer ik hierop, of doe ik alsof ik het niet weet?\n"
            "- Vertel ik de moeder dat ik het heb gezien? Dan weet ze ook dat iemand het heeft "
            "doorgestuurd.\n"
            "- Moet school iets zeggen over hoe ouders met zo'n groep omgaan?\n\n"
            "Ik wil het gesprek met de moeder wel aangaan, maar dan over de ruzie, niet over de "
            "app."
        ),
        "replies": [
            {
                "author": "moderator@example.org",
                "body": (
                    "Ik zou het gesprek aangaan over de inhoud: haar zorg dat haar zoon de schuld "
                    "krijgt. Die zorg is echt, ook al vind je de manier niet fijn. De screenshot "
                    "hoef je niet te noemen. Je kunt gewoon zeggen dat je na de ruzie graag wilt "
                    "horen hoe hij het thuis vertelde."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "pm@example.org",
                "body": (
                    "Sommige scholen hebben een korte tekst voor ouders over groepsapps: geen "
                    "namen van kinderen, geen klachten over leerkrachten, met zorgen kom je naar "
                    "school. Zo'n tekst is algemeen en richt zich niet op één ouder. Misschien "
                    "iets voor je directie?"
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "jongerenwerk@example.org",
                "body": (
                    "In de wijk zien we hetzelfde met buurtapps. Wat helpt: nooit in de app zelf "
                    "reageren. Een gesprek van mens tot mens werkt altijd beter dan een bericht, "
                    "zeker als iemand boos is."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "lid@example.org",
                "body": (
                    "Dank! Ik heb de moeder uitgenodigd om te vertellen hoe haar zoon de ruzie "
                    "heeft beleefd. Ze was verrast, en eigenlijk heel open. Over de app hebben we "
                    "het niet gehad, en dat was ook niet nodig."
                ),
                "status": "approved",
                "anonymous": False,
            },
        ],
    },
    {
        "setting": "school",
        "kind": "question",
        "title": "Opa haalt elke dag op: hoe houd ik de ouders zelf betrokken?",
        "author": "lid@example.org",
        "anonymous": False,
        "status": "approved",
        "body": (
            "Een jongen uit mijn klas wordt elke dag door zijn opa gebracht en gehaald. Beide "
            "ouders werken lange dagen. Opa is heel betrokken en vraagt altijd hoe het ging. Ik "
            "vertel hem dan dingen: kleine dingen, en soms ook grotere.\n\n"
            "Laatst merkte ik dat de ouders niet wisten dat hun zoon een week eerder erg van "
            "streek was na de gymles. Opa had het niet doorgegeven, of het was bij hem blijven "
            "hangen.\n\n"
            "Wat ik wil weten:\n"
            "- Wat mag ik eigenlijk met een opa bespreken? Hij heeft geen gezag.\n"
            "- Hoe zorg ik dat belangrijke dingen bij de ouders zelf terechtkomen?\n"
            "- En hoe doe ik dat zonder opa het gevoel te geven dat hij tekortschiet?\n\n"
            "Ik wil opa echt niet kwijt als aanspreekpunt. Hij is onmisbaar voor dit kind."
        ),
        "replies": [
            {
                "author": "moderator@example.org",
                "body": (
                    "Vraag de ouders wat ze willen: wat mag jij met opa delen, en wat willen ze "
                    "zelf van je horen? Leg dat kort vast. Dan weet iedereen waar hij aan toe is, "
                    "ook opa. Praktische dingen kunnen via opa, zorgen en gesprekken over de "
                    "ontwikkeling gaan naar de ouders."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "pm@example.org",
                "body": (
                    "Op de bso hebben we dit met veel grootouders. Bij iets belangrijks sturen we "
                    "de ouders altijd zelf nog een kort bericht, ook als we het al aan opa of oma "
                    "hebben verteld. Dubbel is hier beter dan niet."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "lid@example.org",
                "body": (
                    "Ik heb de ouders gebeld. We hebben afgesproken dat ik ze eens in de twee "
                    'weken een kort berichtje stuur. Opa vond het prima. "Dan hoef ik niet alles '
                    'te onthouden," zei hij.'
                ),
                "status": "approved",
                "anonymous": False,
            },
        ],
    },
    {
        "setting": "school",
        "kind": "example",
        "title": "Startgesprek in plaats van informatieavond: ouders vertellen, wij luisteren",
        "author": "lid@example.org",
        "anonymous": False,
        "status": "approved",
        "body": (
            "**De situatie:** op onze school hadden we aan het begin van het schooljaar altijd een "
            "informatieavond. Vol lokaal, ik vertelde over de methodes en ouders luisterden. Er "
            "kwamen weinig vragen, en ik leerde de ouders nauwelijks kennen.\n\n"
            "**Wat we deden:** dit jaar hebben we de informatieavond vervangen door "
            "startgesprekken van een kwartier per gezin. Het kind mocht mee. Ik stelde drie vragen:"
            "\n"
            "- Waar is je kind thuis goed in?\n"
            "- Wat vind je belangrijk dat ik weet?\n"
            "- Hoe wil je het liefst contact met mij hebben?\n\n"
            "Ik sprak dus zelf veel minder dan normaal.\n\n"
            "**Wat het opleverde:** na twee weken wist ik meer over mijn groep dan anders na drie "
            "maanden. Een vader vertelde dat zijn zoon thuis prachtig tekent, maar zich op school "
            "schaamt voor zijn handschrift. Een moeder vroeg om alles telefonisch te doen, omdat "
            "lezen lastig voor haar is. De gesprekken kostten veel tijd. Maar ik merk dat ouders "
            "me nu sneller aanspreken als er iets is, ook als het iets kleins is."
        ),
        "replies": [
            {
                "author": "pm@example.org",
                "body": (
                    "Mooi dat het kind mee mocht. Wat deden de kinderen tijdens het gesprek? "
                    "Praatten ze mee, of zaten ze er vooral bij?"
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "lid@example.org",
                "body": (
                    "De meesten praatten mee, vooral bij de eerste vraag. Dat vonden ze prachtig: "
                    "hun ouders die vertellen waar ze goed in zijn. Een paar kinderen zaten liever "
                    "te tekenen. Dat was ook prima."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "moderator@example.org",
                "body": (
                    "Die derde vraag is goud. Zo simpel, en zo vaak vergeten. Wij vragen het nu "
                    "ook bij de intake op de opvang, en je voorkomt er een hoop misverstanden mee."
                ),
                "status": "approved",
                "anonymous": False,
            },
        ],
    },
    {
        "setting": "school",
        "kind": "dilemma",
        "title": "Ouders vinden dat er in de klas te veel gespeeld wordt",
        "author": "lid@example.org",
        "anonymous": False,
        "status": "approved",
        "body": (
            "**Wat er speelt:** in mijn groep leren we veel met spellen, vooral bij rekenen en "
            "spelling. De ouders van een meisje uit mijn klas zijn daar niet blij mee. Zij gingen "
            "zelf naar school in een land waar je vooral stil zat en veel uit je hoofd leerde. De "
            "moeder zei:\n\n"
            "> Op school moet ze leren. Spelen doet ze thuis maar.\n\n"
            "Ze vragen om elke dag huiswerk. Thuis laten ze haar nu al elke avond een uur sommen "
            "maken. Het meisje vertelde me dat ze dat 'saai en eng' vindt, en ze is in de klas "
            "vaker moe.\n\n"
            "**Welke belangen botsen:** het vertrouwen van de ouders in school en hun beeld van "
            "goed onderwijs, tegenover wat ik bij dit kind zie: ze leert juist veel als ze "
            "ontspannen is.\n\n"
            "**Wat ik afweeg:** geef ik een beetje huiswerk mee, zodat de ouders zich gehoord "
            "voelen? Of leg ik liever uit waarom we spelen, met het risico dat ze denken dat ik "
            "hun manier afwijs? Hun betrokkenheid is ook een kracht. Die wil ik niet kwijt."
        ),
        "replies": [
            {
                "author": "moderator@example.org",
                "body": (
                    "Misschien kun je ze uitnodigen om een keer een rekenles mee te kijken? Dan "
                    "zien ze dat 'spelen' hier hard werken is. Vertel er dan bij wat hun dochter "
                    "leert van dat spel. Dat overtuigt vaak meer dan uitleg op papier."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "pm@example.org",
                "body": (
                    "Ik zou hun betrokkenheid juist gebruiken. Geef een klein, vast stukje "
                    "oefenwerk mee van tien minuten. En vraag of ze een keer per week een "
                    "rekenspelletje met haar willen doen, zoals jullie in de klas. Zo kom je ze "
                    "tegemoet, en laat je zien hoe het ook kan."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "jongerenwerk@example.org",
                "body": (
                    "Herkenbaar uit de wijk: veel ouders willen vooral dat hun kind het beter "
                    "krijgt dan zij. Als je dat hardop erkent, staat de deur vaak open voor de "
                    "rest van het gesprek."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "lid@example.org",
                "body": (
                    "Het meekijken is een goed idee. Ik ga ze uitnodigen, en dan vraag ik ook wat "
                    "zij zelf vroeger fijn vonden aan school. Misschien komen we dan samen op iets "
                    "uit."
                ),
                "status": "approved",
                "anonymous": False,
            },
        ],
    },
    {
        "setting": "school",
        "kind": "question",
        "title": "Eerste kennismaking met ouders die school wantrouwen: hoe pak je dat aan?",
        "author": "lid@example.org",
        "anonymous": False,
        "status": "pending",
        "body": (
            "Wat ik wil weten: hoe begin je een goede samenwerking met ouders die duidelijk "
            "slechte ervaringen met school hebben?\n\n"
            "Context: na de zomer krijg ik een jongen in de klas die van basisschool De Wilgenhoek "
            "komt. Uit de overdracht weet ik dat het contact met de ouders daar is vastgelopen. De "
            "ouders zouden 'moeilijk' zijn. Ik wil ze graag zonder vooroordeel leren kennen, maar "
            "ik merk dat dat woord al in mijn hoofd zit.\n\n"
            "Hoe pak jij zo'n eerste kennismaking aan? Thuis of op school, met of zonder het kind "
            "erbij? En wat zeg je wel en niet over wat je al gehoord hebt?"
        ),
        "replies": [],
    },
    {
        "setting": "childcare",
        "kind": "example",
        "title": "Lastig gesprek bij het ophalen: even naar een rustige plek",
        "author": "pm@example.org",
        "anonymous": False,
        "status": "approved",
        "body": (
            "**De situatie:** bij het ophalen op de bso werd een vader boos omdat zijn zoon een "
            "scheur in zijn broek had en een schaafwond op zijn knie. Hij stond in de gang, tussen "
            "andere ouders en kinderen, en zei hardop dat we 'niet opletten'. Zijn zoon stond "
            "erbij en keek naar de grond.\n\n"
            "**Wat ik deed:**\n"
            "- Ik zei rustig dat ik hem het hele verhaal wilde vertellen, en vroeg of hij even mee "
            "wilde lopen naar het kantoortje.\n"
            "- Een collega ging met zijn zoon zijn tas pakken.\n"
            "- In het kantoortje vertelde ik wat er gebeurd was: een val bij het voetballen. We "
            "hadden de wond schoongemaakt en er een pleister op gedaan. Ik gaf toe dat we het hem "
            "eerder hadden moeten laten weten, en niet pas bij het ophalen.\n\n"
            "**Wat het opleverde:** de vader werd rustiger toen hij merkte dat ik niet in de "
            "verdediging ging. Hij zei dat hij vooral was geschrokken. We hebben afgesproken dat "
            "we bij een val of een wondje voortaan meteen een bericht sturen. Die afspraak geldt "
            "nu voor alle ouders."
        ),
        "replies": [
            {
                "author": "moderator@example.org",
                "body": (
                    "Sterk dat je het kind uit het gesprek haalde. Die jongen hoeft niet te zien "
                    "hoe volwassenen ruzie maken over zijn knie. En toegeven wat beter had gekund, "
                    "haalt vaak meteen de angel eruit."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "lid@example.org",
                "body": (
                    "Mooi dat er een afspraak voor iedereen uit komt. Zo wordt één lastig moment "
                    "iets waar alle ouders iets aan hebben. Dat ga ik ook met mijn team bespreken."
                ),
                "status": "approved",
                "anonymous": False,
            },
        ],
    },
    {
        "setting": "childcare",
        "kind": "question",
        "title": "Hoe vertel ik ouders dat hun kind veel alleen speelt?",
        "author": "pm@example.org",
        "anonymous": False,
        "status": "approved",
        "body": (
            "Wat ik wil weten: hoe breng je zoiets ter sprake zonder dat ouders schrikken?\n\n"
            "Context: op het kinderdagverblijf zit een peuter die bijna altijd alleen speelt. Ze "
            "is niet verdrietig en lijkt tevreden. Ze bouwt, puzzelt en kijkt boekjes. Maar als "
            "andere kinderen bij haar komen, draait ze zich om of loopt ze weg. In de kring zit ze "
            "er wel bij, maar ze doet niet mee.\n\n"
            "Ik weet dat alleen spelen bij peuters heel normaal kan zijn. Toch wil ik het met de "
            "ouders delen, omdat het me zo sterk opvalt. En ik ben benieuwd hoe het thuis gaat, "
            "met broertjes of neefjes bijvoorbeeld.\n\n"
            "Bij het ophalen is er altijd weinig tijd, en ik wil niet tussen de jassen door "
            'zeggen: "Jullie dochter speelt niet met anderen." Hoe pakken jullie dit aan?'
        ),
        "replies": [
            {
                "author": "moderator@example.org",
                "body": (
                    "Ik begin zulke gesprekken graag met wat een kind goed kan, en daarna stel ik "
                    'een vraag in plaats van een conclusie te trekken. Bijvoorbeeld: "Ze kan zich '
                    "zo lang concentreren op een puzzel. Wat ik ook zie, is dat ze het liefst "
                    'alleen speelt. Hoe is dat thuis?" Plan er wel een apart moment voor. Vijf '
                    "minuten is genoeg."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "lid@example.org",
                "body": (
                    "Vanuit school: kinderen die goed alleen kunnen spelen, zijn vaak juist heel "
                    "zelfstandig. Het helpt ouders als je dat er ook bij zegt. Dan voelt het "
                    "minder als een probleem."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "pm@example.org",
                "body": (
                    "Dank jullie. Ik heb het in zo'n gesprekje van vijf minuten geprobeerd. De "
                    "moeder zei dat haar dochter thuis ook het liefst in haar eentje speelt, net "
                    "als zijzelf vroeger. We houden het samen in de gaten."
                ),
                "status": "approved",
                "anonymous": False,
            },
        ],
    },
    {
        "setting": "childcare",
        "kind": "dilemma",
        "title": "Blauwe plekken en een uitleg die niet klopt",
        "author": "pm@example.org",
        "anonymous": True,
        "status": "approved",
        "body": (
            "**Wat er speelt:** een peuter op onze groep had de afgelopen weken twee keer blauwe "
            "plekken op plaatsen waar kinderen niet snel vallen: op zijn bovenarm en in zijn nek. "
            "Zijn moeder zegt dat hij van de trap is gevallen. De tweede keer vertelde ze iets "
            "anders dan de eerste keer. Het jongetje is stiller dan vroeger, en hij schrikt als "
            "een volwassene hard praat.\n\n"
            "**Welke belangen botsen:** ik wil de band met deze moeder niet kwijt. Ze is vaak moe "
            "en heeft het zwaar, dat zie ik. Als ik het verkeerd inschat, kan ik veel kapotmaken. "
            "Maar als ik niks doe en het klopt wel, dan laat ik dit kind in de steek.\n\n"
            "**Wat ik afweeg:** ik heb alles wat ik zag opgeschreven. Ik twijfel of ik het eerst "
            "met de moeder bespreek of eerst met mijn leidinggevende. En ik weet eerlijk gezegd "
            "niet goed wat nu de volgende stap is."
        ),
        "replies": [
            {
                "author": "moderator@example.org",
                "body": (
                    "Goed dat je alles opschrijft en je twijfel deelt. Belangrijk om te weten: "
                    "**dit forum is geen meldpunt**, en we kunnen hier niet beoordelen hoe het met "
                    "dit kind gaat. Volg de *Meldcode huiselijk geweld en kindermishandeling* van "
                    "je organisatie. Daarin staan de stappen: signalen vastleggen, overleggen met "
                    "een collega of de aandachtsfunctionaris, een gesprek met de ouder, en dan "
                    "wegen en beslissen. Je kunt ook altijd advies vragen bij Veilig Thuis, ook "
                    "als je nog twijfelt: https://www.veiligthuis.nl"
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "lid@example.org",
                "body": (
                    "Bij ons op school is de aandachtsfunctionaris de eerste bij wie je "
                    "terechtkunt. Zij helpt ook bij het voorbereiden van het gesprek met de ouder. "
                    "Je hoeft dit niet alleen te dragen."
                ),
                "status": "approved",
                "anonymous": True,
            },
            {
                "author": "pm@example.org",
                "body": (
                    "Dank jullie. Ik heb een afspraak met onze aandachtsfunctionaris, en we lopen "
                    "samen de stappen van de meldcode door. Het lucht op dat ik niet zelf hoef te "
                    "bepalen wat het is."
                ),
                "status": "approved",
                "anonymous": True,
            },
        ],
    },
    {
        "setting": "childcare",
        "kind": "example",
        "title": "Van kinderdagverblijf naar basisschool: de overdracht samen met ouders invullen",
        "author": "pm@example.org",
        "anonymous": False,
        "status": "approved",
        "body": (
            "**De situatie:** als een kind naar de basisschool gaat, sturen wij een "
            "overdrachtsformulier naar school. Vroeger vulden we dat zelf in, lieten het ouders "
            "tekenen en stuurden het op. Ouders lazen het vaak niet echt. En soms schrokken ze "
            "later, als de leerkracht iets noemde wat ze 'nog nooit gehoord' hadden.\n\n"
            "**Wat we deden:** nu vullen we het formulier samen met de ouders in, in een gesprek "
            "van twintig minuten. We beginnen met de vraag wat zij de nieuwe leerkracht willen "
            "laten weten. Pas daarna vullen we onze eigen observaties aan. Ouders beslissen zelf "
            "of het formulier naar school mag; daar vragen we hun toestemming voor. Bij kinderen "
            "die extra aandacht nodig hebben, bieden we een warme overdracht aan: een gesprek met "
            "ouders, leerkracht en mentor samen.\n\n"
            "**Wat het opleverde:**\n"
            "- Ouders voelen zich eigenaar van het verhaal over hun kind.\n"
            "- Er staan geen verrassingen meer in het formulier.\n"
            "- Leerkrachten zeggen dat de formulieren beter te lezen zijn, omdat ze in gewone taal "
            "zijn geschreven.\n\n"
            "Een moeder zei het zo:\n\n"
            "> Nu weet ik tenminste wat de juf over mijn zoon leest. Dat geeft rust."
        ),
        "replies": [
            {
                "author": "lid@example.org",
                "body": (
                    "Als leerkracht kan ik dit alleen maar toejuichen. Zo'n warme overdracht met "
                    "ouders erbij scheelt ons weken zoeken in het begin. En ouders komen vanaf de "
                    "eerste dag binnen als partner."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "moderator@example.org",
                "body": (
                    "Wat doen jullie als ouders géén toestemming geven om het formulier naar "
                    "school te sturen? Dat komt bij ons soms voor, en ik vind het lastig."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "pm@example.org",
                "body": (
                    "Dan vragen we of ze zelf iets aan school willen vertellen, en bieden we aan "
                    "om bij dat eerste gesprek met de leerkracht te zijn. Het formulier gaat dan "
                    "niet mee. Dat is hun keuze, en die respecteren we."
                ),
                "status": "approved",
                "anonymous": False,
            },
        ],
    },
    {
        "setting": "childcare",
        "kind": "question",
        "title": "Ouders vragen advies over schermtijd: wat zeg ik wel en niet?",
        "author": "pm@example.org",
        "anonymous": False,
        "status": "approved",
        "body": (
            "Wat ik wil weten: hoe ver ga je als pm'er met advies over schermtijd thuis?\n\n"
            "Context: op de bso vragen steeds meer ouders me hoe lang hun kind op een tablet of "
            "telefoon mag. Een moeder vertelde bij het ophalen dat haar zoon na de opvang meteen "
            "gaat gamen, en boos wordt als ze de tablet afpakt. Ze zei:\n\n"
            "> Ik weet het gewoon niet meer. Jullie zien hem elke dag, wat zouden jullie doen?\n\n"
            "Ik vind het fijn dat ze het aan mij vraagt. Maar ik ben geen opvoedadviseur, en ik "
            "wil niet de indruk geven dat ik haar opvoeding beoordeel. Op de bso hebben we zelf "
            "ook afspraken over schermgebruik. Die kan ik wel uitleggen.\n\n"
            "Waar leggen jullie de grens? Verwijzen jullie door, en zo ja, naar wie: de "
            "jeugdverpleegkundige, het wijkteam?"
        ),
        "replies": [
            {
                "author": "onderzoek@example.org",
                "body": (
                    "Fijne vraag. Je hoeft geen expert te zijn om een ouder te steunen. Meedenken "
                    "over wat bij jullie op de groep werkt, zoals een vast moment en een "
                    "duidelijke afsluiting, is al waardevol. Voor achtergrond over media en "
                    "opvoeden kun je ouders wijzen op https://www.nji.nl. Wil een ouder meer "
                    "begeleiding, dan is de jeugdverpleegkundige van de GGD een goede eerste stap."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "moderator@example.org",
                "body": (
                    "Ik vertel vooral wat wij op de bso doen, en wat ik dan zie. Bijvoorbeeld: "
                    '"Bij ons werkt het goed als we vijf minuten van tevoren zeggen dat de tijd '
                    'bijna om is." Dan geef je geen oordeel, maar wel een idee.'
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "jongerenwerk@example.org",
                "body": (
                    "Bij tieners zie ik dat regels pas werken als ze samen gemaakt worden. "
                    "Misschien geldt dat ook voor jongere kinderen: laat de zoon meedenken over de "
                    "afspraak, dan is hij er minder boos over."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "lid@example.org",
                "body": (
                    "Op school merken we het ook. Daan (6) uit groep 3 is op maandag echt moe van "
                    "een weekend gamen. Misschien kunnen school en bso samen iets voor ouders "
                    "organiseren?"
                ),
                "status": "returned",
                "anonymous": False,
                "note": (
                    "Goed idee om samen iets te organiseren! Wil je de naam en de leeftijd van de "
                    "jongen weghalen? Schrijf bijvoorbeeld 'een jongen uit mijn groep'. Dan keur "
                    "ik je reactie goed."
                ),
            },
        ],
    },
    {
        "setting": "childcare",
        "kind": "dilemma",
        "title": "Ouder komt steeds te laat haar kind ophalen bij de gastouder",
        "author": "moderator@example.org",
        "anonymous": False,
        "status": "approved",
        "body": (
            "**Wat er speelt:** naast mijn werk als pm'er ben ik twee dagen per week gastouder bij "
            "mij thuis. Een moeder komt haar dochter bijna elke keer te laat ophalen, meestal een "
            "halfuur, soms een uur. Ze stuurt dan een appje: 'Sorry, file!' Ik heb zelf ook een "
            "gezin, en rond etenstijd wil ik er voor hen zijn.\n\n"
            "**Welke belangen botsen:**\n"
            "- Mijn eigen grenzen, en mijn gezin.\n"
            "- Het meisje, dat zich fijn voelt bij mij en niet de dupe mag worden van gedoe tussen "
            "volwassenen.\n"
            "- De moeder, die er alleen voor staat en een baan heeft waar ze moeilijk eerder weg "
            "kan.\n"
            "- De relatie: als gastouder sta je heel dicht bij een gezin. Dat maakt het lastiger "
            "om streng te zijn.\n\n"
            "**Wat ik afweeg:** in het contract staat dat ik extra kosten mag rekenen bij te laat "
            "ophalen. Maar dat voelt hard. Ik kan ook overleggen met het gastouderbureau, of eerst "
            "zelf nog een gesprek voeren. Ik ben bang dat ze stopt, en dan is het meisje de dupe."
        ),
        "replies": [
            {
                "author": "pm@example.org",
                "body": (
                    "Ik zou eerst het gesprek aangaan, en dan niet over de kosten, maar over wat "
                    "wél haalbaar is. Misschien is een latere eindtijd op sommige dagen "
                    "realistischer, of juist een vaste oplossing voor de lange dagen. Dan is de "
                    "afspraak eerlijk voor jullie allebei."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "lid@example.org",
                "body": (
                    "Betrek het gastouderbureau erbij, ook al voelt dat als 'hogerop' gaan. Zij "
                    "kunnen het zakelijke deel doen. Dan blijft jouw band met moeder en dochter "
                    "warm."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "moderator@example.org",
                "body": (
                    "Dank, dat laatste helpt me. Ik heb de bemiddelingsmedewerker gevraagd om bij "
                    "het gesprek te zijn. We kijken nu of iemand uit het netwerk van de moeder op "
                    "de lange dagen kan ophalen."
                ),
                "status": "approved",
                "anonymous": False,
            },
        ],
    },
    {
        "setting": "childcare",
        "kind": "example",
        "title": "Warme overdracht tussen school en bso na een rotdag",
        "author": "pm@example.org",
        "anonymous": False,
        "status": "approved",
        "body": (
            "**De situatie:** een jongen uit groep 6 had op school een heel slechte dag. Ruzie in "
            "de pauze, daarna gehuild en een tijdje buiten de klas geweest. Hij kwam bij ons op de "
            "bso binnen met een rood hoofd en zei niks.\n\n"
            "**Wat ik deed:** de leerkracht had me gebeld voordat hij kwam. Dat spreken we sinds "
            "dit jaar af: na een echte rotdag belt school de bso, of loopt de leerkracht even mee "
            "naar de deur. Ouders hebben bij de inschrijving toestemming gegeven dat school en bso "
            "zulke dingen met elkaar delen. Zo wist ik wat er gebeurd was, en kon ik hem rustig "
            "laten binnenkomen. Hij mocht eerst even met een boek in de leeshoek zitten. Bij het "
            "ophalen vertelde ik zijn moeder wat ik van school had gehoord, en hoe de middag bij "
            "ons was gegaan. De leerkracht had haar ook al een bericht gestuurd.\n\n"
            "**Wat het opleverde:** de moeder hoefde niet van drie mensen drie verschillende "
            "verhalen te horen. Ze zei dat ze zich daardoor 'niet overvallen' voelde. De jongen "
            "hoefde zijn dag niet opnieuw uit te leggen. En de volgende ochtend hoorde de "
            "leerkracht van de moeder dat hij thuis goed had geslapen. Een klein rondje, maar het "
            "werkt."
        ),
        "replies": [
            {
                "author": "lid@example.org",
                "body": (
                    "Vanaf de andere kant: als leerkracht voelt het ook fijn om een kind na zo'n "
                    "dag niet zomaar de deur uit te laten gaan. Goed dat jullie de toestemming van "
                    "ouders vooraf hebben geregeld."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "moderator@example.org",
                "body": (
                    "Hoe houden jullie dit klein? Ik ben bang dat het bij ons een soort dagrapport "
                    "over elk kind wordt, en dat willen ouders en kinderen ook niet."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "pm@example.org",
                "body": (
                    "Alleen bij echte uitschieters, en altijd kort: wat er gebeurde en hoe het nu "
                    "met het kind gaat. Geen verslagen. Meestal gebeurt het een keer per maand of "
                    "zo."
                ),
                "status": "approved",
                "anonymous": False,
            },
        ],
    },
    {
        "setting": "childcare",
        "kind": "dilemma",
        "title": "Moeder wil dat haar peuter op de opvang geen middagslaapje meer doet",
        "author": "pm@example.org",
        "anonymous": False,
        "status": "approved",
        "body": (
            "**Wat er speelt:** een moeder vraagt ons om haar peuter op het kinderdagverblijf niet "
            "meer te laten slapen. Ze zegt:\n\n"
            "> Als hij bij jullie slaapt, ligt hij 's avonds tot tien uur wakker. Dan ben ik kapot."
            "\n\n"
            "Maar op de groep zien we een kind dat na de lunch echt moe is. Hij wrijft in zijn "
            "ogen, wordt huilerig en valt soms bijna in slaap aan tafel.\n\n"
            "**Welke belangen botsen:** de moeder heeft het thuis zwaar, en haar vraag is heel "
            "begrijpelijk. Tegelijk zijn wij verantwoordelijk voor wat dit kind overdag nodig "
            "heeft. En de andere kinderen merken het ook als hij de hele middag oververmoeid is."
            "\n\n"
            "**Wat ik afweeg:**\n"
            "- Helemaal niet laten slapen, zoals de moeder vraagt.\n"
            "- Korter laten slapen, bijvoorbeeld een halfuur, en hem dan wekken.\n"
            "- Hem wel laten rusten in de rustige hoek, maar niet in bed.\n\n"
            "Ik wil de moeder serieus nemen, zonder iets te doen wat volgens mij niet goed is voor "
            "haar kind. Hoe gaan jullie hiermee om?"
        ),
        "replies": [
            {
                "author": "moderator@example.org",
                "body": (
                    "Wij kiezen dan vaak een tussenweg, met een proefperiode van twee weken. Ouder "
                    "en pm'er houden allebei kort bij hoe het gaat, overdag en 's avonds. Daarna "
                    "kijk je samen. Dan is het geen strijd, maar een proefje dat jullie samen doen."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "lid@example.org",
                "body": (
                    "Misschien is er ook een vraag achter de vraag: hoe gaan de avonden verder? "
                    "Als de moeder zo moe is, helpt het misschien om te vragen of ze genoeg steun "
                    "heeft."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "pm@example.org",
                "body": (
                    "Een update: we laten hem nu een halfuur slapen. De moeder vertelt dat hij 's "
                    "avonds eerder in slaap valt dan eerst. Over twee weken kijken we samen "
                    "opnieuw."
                ),
                "status": "approved",
                "anonymous": False,
            },
        ],
    },
    {
        "setting": "childcare",
        "kind": "question",
        "title": "Vader wil elke dag foto's in de ouderapp: hoe gaan jullie daarmee om?",
        "author": "pm@example.org",
        "anonymous": False,
        "status": "approved",
        "body": (
            "Wat ik wil weten: hoe gaan jullie om met ouders die veel foto's en updates willen via "
            "de ouderapp?\n\n"
            "Context: in onze ouderapp kunnen we foto's en berichtjes delen. Een vader vraagt "
            "bijna elke dag of er nog foto's komen van zijn dochter. Als we een dag niets sturen, "
            "vraagt hij of er iets aan de hand was. Ik begrijp het wel: hij werkt veel en mist "
            "haar. Maar foto's maken kost tijd, en ik wil bij de kinderen zijn, niet achter een "
            "telefoon. Ik let ook goed op dat er geen andere kinderen op de foto staan, en dat "
            "maakt het nog lastiger.\n\n"
            "Wat ik me afvraag:\n"
            "- Hebben jullie vaste afspraken over hoe vaak je iets deelt?\n"
            "- Hoe leg je een ouder uit dat minder foto's niet minder aandacht betekent?\n"
            "- Zijn er andere manieren om zo'n vader het gevoel te geven dat hij erbij is?"
        ),
        "replies": [
            {
                "author": "moderator@example.org",
                "body": (
                    "Wij delen twee keer per week een kort berichtje met één foto. Dat staat in "
                    "ons pedagogisch beleid, dus het geldt voor iedereen. Dat maakt het "
                    "makkelijker om nee te zeggen tegen meer."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "lid@example.org",
                "body": (
                    "Misschien helpt het om hem af en toe aan het eind van de dag vijf minuten te "
                    "spreken? Een verhaal van jou zegt soms meer dan tien foto's."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "jongerenwerk@example.org",
                "body": (
                    "Wat je ook kunt doen: vraag zijn dochter zelf wat ze wil laten zien. Kinderen "
                    "kiezen vaak heel andere dingen dan wij, en dan wordt de foto ook echt van "
                    "haar."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "pm@example.org",
                "body": (
                    "Goede tips, dank jullie. Ik ga hem uitnodigen om een keer een ochtend mee te "
                    "kijken op de groep. Dan ziet hij zelf hoe de dag van zijn dochter eruitziet."
                ),
                "status": "approved",
                "anonymous": False,
            },
        ],
    },
    {
        "setting": "childcare",
        "kind": "example",
        "title": "Koffieochtend voor ouders van de peutergroep",
        "author": "pm@example.org",
        "anonymous": False,
        "status": "approved",
        "body": (
            "**De situatie:** bij het brengen hebben ouders altijd haast. Veel ouders kennen "
            "elkaar niet, en wij spreken ze alleen kort bij de deur.\n\n"
            "**Wat we deden:** we hebben een koffieochtend georganiseerd, een uurtje na het "
            "brengen. Geen programma, wel koffie en iets lekkers. Een collega speelde met de "
            "kinderen, en wij zaten bij de ouders. Iedereen mocht iets vertellen over wat hun kind "
            "thuis graag doet.\n\n"
            "**Wat het opleverde:** er kwamen meer ouders dan we dachten. Twee moeders ontdekten "
            "dat ze bij elkaar om de hoek wonen, en ze spreken nu samen af. Een vader die bij de "
            "deur altijd heel kort is, vertelde uitgebreid over zijn zoon. We doen het nu om de "
            "paar maanden."
        ),
        "replies": [],
    },
    {
        "setting": "neighbourhood",
        "kind": "question",
        "title": "Ouders weten niet waar hun tiener 's avonds rondhangt: wat deel ik wel en niet?",
        "author": "jongerenwerk@example.org",
        "anonymous": False,
        "status": "approved",
        "body": (
            "Wat ik wil weten: hoe leg je als jongerenwerker contact met ouders van jongeren die "
            "je op straat spreekt, zonder het vertrouwen van die jongeren te verliezen?\n\n"
            "Context: in onze wijk hangt 's avonds een groep jongens rond bij een bankje achter de "
            "winkels. Een jaar of veertien, vijftien. Ik ken ze goed, ze komen soms in het "
            "jongerencentrum. Een moeder sprak me aan bij de supermarkt:\n\n"
            "> Weet jij waar mijn zoon 's avonds is? Hij zegt dat hij bij een vriend is, maar ik "
            "geloof hem niet.\n\n"
            "Ik wist het wel. Maar ik heb niks gezegd, omdat ik de jongens niet wil verraden. "
            "Tegelijk snap ik die moeder heel goed.\n\n"
            "Hoe doen jullie dat? Hebben jullie afspraken met jongeren over wat je wel en niet met "
            "ouders deelt? En hoe leg je dat uit aan ouders, zonder dat ze denken dat je ze "
            "tegenwerkt?"
        ),
        "replies": [
            {
                "author": "moderator@example.org",
                "body": (
                    "Wat ik van jongerenwerkers heb geleerd: wees vanaf het begin open naar beide "
                    "kanten. Zeg tegen jongeren wat je wel en niet voor jezelf houdt, en zeg "
                    "precies hetzelfde tegen ouders. Dan weet iedereen waar hij aan toe is."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "lid@example.org",
                "body": (
                    "Kun je de jongen niet aanmoedigen om het zelf aan zijn moeder te vertellen? "
                    "Dan ben jij niet degene die iets doorvertelt, maar help je wel."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "jongerenwerk@example.org",
                "body": (
                    "Dat heb ik gedaan. Hij vond het 'gênant', maar zijn moeder weet nu dat hij "
                    "met vrienden op het pleintje zit en dat ik daar vaak langskom. Ze is er een "
                    "stuk rustiger over."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "pm@example.org",
                "body": (
                    "Bij ons organiseert het jongerenwerk een keer per jaar een open avond voor "
                    "ouders in het jongerencentrum. Dan zien ouders waar hun kinderen komen, en "
                    "wie jullie zijn."
                ),
                "status": "approved",
                "anonymous": False,
            },
        ],
    },
    {
        "setting": "neighbourhood",
        "kind": "dilemma",
        "title": "Moeder vraagt of ik een oogje in het zeil wil houden bij haar dochter",
        "author": "jongerenwerk@example.org",
        "anonymous": False,
        "status": "approved",
        "body": (
            "**Wat er speelt:** een moeder van een meisje van een jaar of zestien vroeg me of ik "
            "'een oogje in het zeil' wil houden. Haar dochter gaat om met oudere jongens, en de "
            "moeder is bang dat ze in de verkeerde kringen terechtkomt. Ze vroeg of ik haar wil "
            "bellen als ik iets zie.\n\n"
            "**Welke belangen botsen:**\n"
            "- Het vertrouwen van het meisje in mij. Ze komt elke week naar de meidengroep en "
            "vertelt me best veel.\n"
            "- De zorg van de moeder, die ik echt serieus neem.\n"
            "- Mijn rol. Ik ben geen verlengstuk van ouders, en ook geen politie.\n\n"
            "**Wat ik afweeg:** als ik ja zeg, werk ik achter de rug van het meisje om. Als ik nee "
            "zeg, laat ik een bezorgde moeder alleen staan. Misschien kan ik voorstellen om met "
            "z'n drieën te praten? Maar ik weet niet of het meisje daarvoor openstaat, en ik wil "
            "haar niet kwijtraken bij de groep."
        ),
        "replies": [
            {
                "author": "moderator@example.org",
                "body": (
                    "Ik zou de moeder zeggen wat je wél kunt doen: er zijn voor haar dochter, en "
                    "haar helpen om zelf met haar moeder in gesprek te gaan. En wat je níet doet: "
                    "stiekem verslag uitbrengen. Eerlijk zijn over je rol is ook een manier om "
                    "iemand serieus te nemen."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "lid@example.org",
                "body": (
                    "Let wel op: als je echt zorgen krijgt over haar veiligheid, dan geldt de "
                    "meldcode van je organisatie. Dan is het geen kwestie meer van een oogje in "
                    "het zeil. Goed om dat nu al helder te hebben, ook voor jezelf."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "jongerenwerk@example.org",
                "body": (
                    "Ja, dat is helder. Ik heb het meisje gevraagd of ze het goed vindt dat ik "
                    "haar moeder een keer spreek, met haar erbij. Ze twijfelt nog, maar ze zei "
                    "geen nee."
                ),
                "status": "approved",
                "anonymous": False,
            },
        ],
    },
    {
        "setting": "neighbourhood",
        "kind": "example",
        "title": "Ouderavond over social media met jongeren als docent",
        "author": "jongerenwerk@example.org",
        "anonymous": False,
        "status": "approved",
        "body": (
            "**De situatie:** in de wijk kregen we veel vragen van ouders over TikTok, Snapchat en "
            "groepsapps. Een paar ouders waren geschrokken van filmpjes van een vechtpartij die "
            'rondgingen. Ze voelden zich machteloos: "Ik snap niks van die apps."\n\n'
            "**Wat we deden:** samen met het opbouwwerk hebben we een ouderavond georganiseerd in "
            "het buurthuis. Geen lezing van een uur, maar:\n"
            "- een korte uitleg over de apps die jongeren nu gebruiken, gegeven door twee jongeren "
            "uit de wijk zelf;\n"
            "- een gesprek in kleine groepjes: wat zie je thuis, en waar maak je je zorgen over?\n"
            "- een tafel met tips en folders in verschillende talen.\n\n"
            "We nodigden ouders persoonlijk uit, via sleutelfiguren uit de wijk en via de jongeren "
            "zelf.\n\n"
            "**Wat het opleverde:** er kwamen ongeveer dertig ouders, veel meer dan bij eerdere "
            "avonden. Jongeren als docent werkte heel goed: ouders stelden hun vragen zonder zich "
            "te schamen. Een vader zei na afloop:\n\n"
            "> Ik dacht dat ik zijn telefoon moest afpakken. Nu wil ik eerst weten wat hij erop "
            "doet.\n\n"
            "Een paar ouders willen nu een vervolgavond over gamen."
        ),
        "replies": [
            {
                "author": "pm@example.org",
                "body": (
                    "Jongeren als docent, wat een goed idee! Hoe kregen jullie die twee zover? Ik "
                    "kan me voorstellen dat het best spannend is om voor een zaal met ouders te "
                    "staan."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "jongerenwerk@example.org",
                "body": (
                    "Gewoon gevraagd. Ze vonden het spannend, maar ook stoer. We hebben samen "
                    "geoefend, en we hebben afgesproken dat ze geen vragen over hun eigen telefoon "
                    "hoefden te beantwoorden."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "lid@example.org",
                "body": (
                    "Dit zou ook op school kunnen, met leerlingen uit groep 8 die ouders van "
                    "jongere kinderen iets uitleggen. Ik neem het idee mee naar ons team."
                ),
                "status": "approved",
                "anonymous": False,
            },
        ],
    },
    {
        "setting": "neighbourhood",
        "kind": "example",
        "title": "Ouders betrekken bij het buurtfeest: persoonlijk vragen werkt",
        "author": "jongerenwerk@example.org",
        "anonymous": False,
        "status": "approved",
        "body": (
            "**De situatie:** we organiseren elk jaar een buurtfeest met de jongeren. Ouders "
            "kwamen nauwelijks. We hingen posters op en deelden flyers uit, maar dat leverde bijna "
            "niks op.\n\n"
            "**Wat ik deed:** dit jaar vroegen we de jongeren zelf om hun ouders uit te nodigen, "
            "en ik ben met een paar jongeren langs de deuren gegaan. We vroegen ouders niet alleen "
            "om te komen, maar ook om iets te doen: een gerecht meenemen, helpen bij de opbouw, "
            "muziek draaien. Een moeder die nooit kwam, zei aan de deur:\n\n"
            "> Ik dacht dat het alleen voor de jongeren was. Niemand heeft het mij ooit gevraagd."
            "\n\n"
            "**Wat het opleverde:** er kwamen veel meer ouders. Er stond een lange tafel vol eten "
            "uit allerlei keukens. Ouders spraken met elkaar, en met ons. Een paar vaders hielpen "
            "met opruimen en vroegen of ze vaker konden helpen. Voor ons was het ook een kans om "
            "ouders te leren kennen die we anders alleen zien als er iets mis is."
        ),
        "replies": [
            {
                "author": "moderator@example.org",
                "body": (
                    '"Niemand heeft het mij ooit gevraagd." Die zin zegt zoveel, en ik herken '
                    "hem ook van ouders op de opvang. Dank voor het delen."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "pm@example.org",
                "body": (
                    "Ouders iets laten doen, in plaats van ze alleen uit te nodigen: dat neem ik "
                    "mee voor ons zomerfeest op de bso. Goed idee om de jongeren zelf langs de "
                    "deuren te laten gaan."
                ),
                "status": "approved",
                "anonymous": False,
            },
        ],
    },
    {
        "setting": "neighbourhood",
        "kind": "question",
        "title": "Hoe nodig je ouders uit die weinig Nederlands lezen?",
        "author": "jongerenwerk@example.org",
        "anonymous": False,
        "status": "approved",
        "body": (
            "Wat ik wil weten: hoe bereik je ouders die weinig of geen Nederlands lezen?\n\n"
            "Context: ik werk in een wijk waar veel gezinnen wonen die hier nog niet zo lang zijn. "
            "Onze uitnodigingen zijn vaak lange brieven of berichten in de buurtapp. Ik merk dat "
            "veel ouders daardoor niet weten wat we doen, of denken dat het niet voor hen is.\n\n"
            "Wat we al geprobeerd hebben:\n"
            "- Een vertaling met een vertaalapp. Daar kwamen soms rare zinnen uit.\n"
            "- Flyers met veel plaatjes. Beter, maar nog steeds weinig reactie.\n\n"
            "Ik ben benieuwd wat bij jullie werkt. Zijn er mensen in jullie wijk die een brug naar "
            "ouders slaan? En hoe zorg je dat zij niet al het werk doen?"
        ),
        "replies": [
            {
                "author": "lid@example.org",
                "body": (
                    "Op school werken we met korte ingesproken berichtjes in de ouderapp, "
                    "ingesproken door een ouder die de taal spreekt. Ouders luisteren daar veel "
                    "vaker naar dan dat ze een brief lezen."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "moderator@example.org",
                "body": (
                    "Sleutelfiguren zijn goud waard. Maar betaal ze, of geef ze op een andere "
                    "manier iets terug. Anders wordt 'even helpen' al snel een tweede baan zonder "
                    "loon."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "pm@example.org",
                "body": (
                    "Een rondje over het schoolplein bij het ophalen levert vaak meer op dan tien "
                    "flyers. Ouders staan er toch, en een gezicht maakt het persoonlijk."
                ),
                "status": "approved",
                "anonymous": False,
            },
        ],
    },
    {
        "setting": "neighbourhood",
        "kind": "dilemma",
        "title": "Jongen vertelt over ruzie thuis en vraagt me niks te zeggen",
        "author": "jongerenwerk@example.org",
        "anonymous": True,
        "status": "approved",
        "body": (
            "**Wat er speelt:** een jongen van een jaar of vijftien die vaak in het "
            "jongerencentrum komt, vertelde me dat hij 's avonds soms niet naar huis durft. Zijn "
            "vader 'flipt' als hij gedronken heeft, zei hij, en dan worden er dingen gegooid. "
            "Meteen daarna zei hij:\n\n"
            "> Zeg dit tegen niemand. Anders kom ik hier nooit meer.\n\n"
            "**Welke belangen botsen:** zijn vertrouwen in mij is nu het enige contact dat hij "
            "heeft met een volwassene buiten zijn gezin. Als ik dat kwijtraak, heeft hij niemand. "
            "Aan de andere kant: als het thuis echt onveilig is, kan ik dit niet voor mezelf "
            "houden.\n\n"
            "**Wat ik afweeg:** ik heb hem gezegd dat ik hem serieus neem en niet zomaar iets "
            "achter zijn rug om doe. Maar ik heb niks beloofd. Ik twijfel of ik eerst nog een keer "
            "met hem praat, of dat ik nu al actie moet ondernemen. Hoe hebben jullie dit aangepakt?"
        ),
        "replies": [
            {
                "author": "moderator@example.org",
                "body": (
                    "Goed dat je niks hebt beloofd. Belangrijk: **dit forum is geen meldpunt**, en "
                    "we kunnen hier niet beoordelen hoe onveilig het thuis is. Volg de *Meldcode "
                    "huiselijk geweld en kindermishandeling* van je organisatie, en overleg met je "
                    "aandachtsfunctionaris of leidinggevende. Je kunt ook, zonder namen te noemen, "
                    "advies vragen bij Veilig Thuis: https://www.veiligthuis.nl. Zij denken ook "
                    "mee over hoe je de jongen erbij betrekt."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "pm@example.org",
                "body": (
                    "Wat mij hielp in zo'n situatie: eerlijk tegen de jongere zeggen wat je gaat "
                    "doen en waarom, en hem zoveel mogelijk laten meebeslissen over het hoe. Niet "
                    "óf je iets doet, maar hoe je het doet."
                ),
                "status": "approved",
                "anonymous": True,
            },
            {
                "author": "jongerenwerk@example.org",
                "body": (
                    "Dank jullie. Ik heb het met mijn leidinggevende besproken, en we vragen samen "
                    "advies bij Veilig Thuis. De jongen weet ervan. Hij was boos, maar hij kwam de "
                    "volgende dag gewoon weer binnen."
                ),
                "status": "approved",
                "anonymous": True,
            },
        ],
    },
    {
        "setting": "neighbourhood",
        "kind": "example",
        "title": "Huisbezoek samen met een jongere: ouders leren het jongerenwerk kennen",
        "author": "jongerenwerk@example.org",
        "anonymous": False,
        "status": "approved",
        "body": (
            "**De situatie:** een jongen die bij ons in het jongerencentrum komt, kreeg thuis "
            "steeds ruzie over waar hij was. Zijn ouders hadden alleen negatieve verhalen gehoord "
            "over 'die jongeren bij het centrum', en ze wilden niet dat hij kwam.\n\n"
            "**Wat ik deed:** ik vroeg de jongen of hij het goed vond dat ik een keer bij hem "
            "thuis langskwam, samen met hem. Hij mocht zelf kiezen wanneer. Bij het bezoek "
            "vertelde ik wat we doen, liet ik wat foto's van activiteiten zien zonder herkenbare "
            "jongeren erop, en vroeg ik vooral wat de ouders belangrijk vinden. De vader vroeg:\n\n"
            "> Wie houdt er toezicht? En wat doen jullie als iemand drugs meeneemt?\n\n"
            "Ik heb die vragen eerlijk beantwoord, ook wat we níet kunnen.\n\n"
            "**Wat het opleverde:** de ouders vinden het nu goed dat hij komt, als hij om tien uur "
            "thuis is. Die afspraak stelde de jongen zelf voor. Sinds het huisbezoek groet de "
            "vader me als hij me op straat ziet. Dat voelt als een begin."
        ),
        "replies": [
            {
                "author": "lid@example.org",
                "body": (
                    "Mooi dat de jongen zelf mocht kiezen wanneer. Zo blijft het ook zijn verhaal, "
                    "en niet iets wat volwassenen over zijn hoofd heen regelen."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "moderator@example.org",
                "body": (
                    "En eerlijk zijn over wat je níet kunt, maakt je juist geloofwaardig. Ouders "
                    "prikken heel snel door mooie beloftes heen."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "pm@example.org",
                "body": (
                    "Hoe lang duurde zo'n bezoek ongeveer? Ik vraag me af of we dit op de bso ook "
                    "kunnen doen, bij ouders die we moeilijk bereiken."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "jongerenwerk@example.org",
                "body": (
                    "Ongeveer een uur, met thee. Het eerste halfuur ging eigenlijk nergens over, "
                    "en dat was misschien wel het belangrijkste deel."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "gastouder@example.org",
                "body": (
                    "Mooi verhaal! Ik geef zelf trainingen over huisbezoeken en lastige gesprekken "
                    "met ouders. Stuur me een mail voor een gratis kennismaking: "
                    "gea.coaching@example.com."
                ),
                "status": "rejected",
                "reason": (
                    "Dit forum gaat over samenwerken met ouders. Je bericht past daar niet bij.\n\n"
                    "Reclame voor je eigen trainingen hoort hier niet. Een inhoudelijke reactie is "
                    "van harte welkom."
                ),
                "always_moderate": "Plaatste reclame in haar eerste bericht.",
                "anonymous": False,
            },
        ],
    },
    {
        "setting": "neighbourhood",
        "kind": "question",
        "title": "Ouders geven het jongerenwerk de schuld van overlast in de buurtapp",
        "author": "jongerenwerk@example.org",
        "anonymous": False,
        "status": "approved",
        "body": (
            "Wat ik wil weten: hoe reageer je als ouders in de buurt het jongerenwerk de schuld "
            "geven van overlast?\n\n"
            "Context: in de buurtapp gaan berichten rond over jongeren die 's avonds herrie maken "
            "bij het speelveld. Een paar ouders schrijven dat 'het jongerenwerk niks doet', en dat "
            "het centrum de jongeren juist aantrekt. De vader van een van de jongens die ik ken, "
            "schreef zelfs:\n\n"
            "> Jullie zijn er toch voor om ze van straat te houden?\n\n"
            "Ik zit zelf niet in die app; een collega van het opbouwwerk liet het me zien. Ik wil "
            "niet in discussie gaan in een appgroep. Maar ik wil ook niet dat dit beeld blijft "
            "hangen, want het maakt het contact met ouders lastiger.\n\n"
            "Hoe pakken jullie zoiets aan? Gaan jullie in gesprek met de schrijvers, organiseren "
            "jullie iets, of laten jullie het gaan?"
        ),
        "replies": [
            {
                "author": "moderator@example.org",
                "body": (
                    "Misschien een inloopmoment bij het speelveld, op een avond dat de jongeren er "
                    "ook zijn? Buurtbewoners, ouders en jongeren ontmoeten elkaar dan in het echt, "
                    "in plaats van in de app."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "lid@example.org",
                "body": (
                    "Herkenbaar uit de klassenapp. Wat ik geleerd heb: reageer nooit in de app "
                    "zelf. Bel of spreek de ouder aan, en begin bij de zorg die erachter zit."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "jongerenwerk@example.org",
                "body": (
                    "Goede ideeën. We gaan met het opbouwwerk een avond koffie schenken bij het "
                    "speelveld. Ik heb die vader persoonlijk uitgenodigd. Ik laat weten hoe het "
                    "was."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "pm@example.org",
                "body": (
                    "Pas op met wat je in zo'n app terugschrijft. Bij ons dreigde een vader zelfs "
                    "met een rechtszaak tegen het jongerenwerk. Onze leidinggevende heeft toen het "
                    "gesprek met hem gevoerd, en dat hielp."
                ),
                "status": "pending",
                "anonymous": False,
            },
        ],
    },
    {
        "setting": "neighbourhood",
        "kind": "dilemma",
        "title": "Buurtvaders willen 's avonds zelf gaan rondlopen",
        "author": "jongerenwerk@example.org",
        "anonymous": False,
        "status": "approved",
        "body": (
            "**Wat er speelt:** na een paar incidenten in de wijk willen een aantal vaders 's "
            "avonds zelf gaan rondlopen. Ze vroegen het jongerenwerk om mee te doen. Een van hen "
            "zei:\n\n"
            "> Als wij er staan, durven ze niks. Wij kennen die jongens en hun ouders.\n\n"
            "**Welke belangen botsen:**\n"
            "- Ik ben blij met betrokken vaders. Dat is precies wat we vaak missen.\n"
            "- Maar ik ben bang dat het voelt als controle. Jongeren kunnen zich opgejaagd voelen, "
            "en dan gaan ze naar plekken waar niemand ze ziet.\n"
            "- Als jongerenwerker moet ik ook onafhankelijk blijven. Als ik met de vaders meeloop, "
            "zien jongeren mij misschien als een van hen.\n\n"
            "**Wat ik afweeg:** ik kan nee zeggen, maar dan lopen ze misschien alleen, zonder "
            "afspraken. Ik kan ook voorstellen dat ze geen toezicht houden, maar in gesprek gaan "
            "met de jongeren, met duidelijke afspraken met de gemeente en de wijkagent. Heeft "
            "iemand hier ervaring mee?"
        ),
        "replies": [
            {
                "author": "moderator@example.org",
                "body": (
                    "In sommige wijken werken buurtvaders heel goed, juist als ze zich zien als "
                    "vaders voor álle jongeren en niet als bewaking. Maak samen afspraken over wat "
                    "ze wel en niet doen. En betrek de jongeren zelf: wat vinden zij ervan?"
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "pm@example.org",
                "body": (
                    "Ik zou ook de moeders vragen. Die hebben vaak een ander beeld van wat er "
                    "nodig is, en ze horen thuis veel van wat er op straat gebeurt."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "jongerenwerk@example.org",
                "body": (
                    "Goed punt, daar had ik nog niet aan gedacht. We plannen eerst een gesprek met "
                    "een paar vaders en moeders, een paar jongeren en de wijkagent samen."
                ),
                "status": "approved",
                "anonymous": False,
            },
            {
                "author": "gastouder@example.org",
                "body": (
                    "Bij ons in de wijk lopen ook vaders rond. Wat hielp: ze dragen geen hesjes en "
                    "ze maken eerst een praatje, ook met de jongeren zelf. Zo voelt het minder als "
                    "controle."
                ),
                "status": "pending",
                "anonymous": False,
            },
        ],
    },
    {
        "setting": "neighbourhood",
        "kind": "question",
        "title": "Wie heeft ervaring met een opvoedcafé in de wijk?",
        "author": "jongerenwerk@example.org",
        "anonymous": False,
        "status": "approved",
        "body": (
            "Wat ik wil weten: wie heeft ervaring met een opvoedcafé of ouderkamer in de wijk, en "
            "wat maakt het tot een succes?\n\n"
            "Context: we willen samen met het buurtwerk een vaste plek maken waar ouders elkaar "
            "ontmoeten en vragen kunnen stellen over opvoeden. Niet alleen over pubers, ook over "
            "jongere kinderen. We hebben een ruimte en een klein budget. Wat we nog niet weten:\n"
            "- Hoe vaak doe je het, en op welk moment van de dag?\n"
            "- Heb je altijd een thema, of juist niet?\n"
            "- Hoe zorg je dat ook vaders komen, en ouders die het spannend vinden?\n\n"
            "Alle tips zijn welkom!"
        ),
        "replies": [
            {
                "author": "onderzoek@example.org",
                "body": (
                    "Goede vraag. In onderzoek naar ouderkamers komt steeds terug dat een vaste "
                    "gastvrouw of gastheer het verschil maakt: iemand die ouders kennen en die hen "
                    "persoonlijk uitnodigt. Een thema helpt, maar houd ook ruimte voor eigen "
                    "vragen."
                ),
                "status": "pending",
                "anonymous": False,
            },
        ],
    },
    {
        "setting": "school",
        "kind": "dilemma",
        "title": "Moeder wil dat ik haar dochter apart neem na schooltijd",
        "author": "lid@example.org",
        "anonymous": False,
        "status": "pending",
        "body": (
            "Wat er speelt: de moeder van Sanne (7) uit groep 4 vraagt of ik haar dochter na "
            "schooltijd extra wil begeleiden, zonder dat de vader het weet. Ze belde me gisteren "
            "vanaf 06-12345678 en vroeg of ik haar wilde terugbellen.\n\n"
            "Welke belangen botsen: ik wil de moeder helpen, maar beide ouders hebben gezag en ik "
            "wil niet partij kiezen.\n\n"
            "Wat ik afweeg: zeg ik nee, of ga ik eerst met beide ouders in gesprek?"
        ),
        "replies": [],
    },
]

# Reasons moderators can choose when they turn a post down (admins edit them).
DEMO_REJECTION_TEMPLATES = [
    (
        "Herleidbaar",
        "Je bericht bevat details waaraan een kind of ouder herkend kan worden. Haal die weg en "
        "plaats het opnieuw.",
    ),
    (
        "Hoort niet bij dit forum",
        "Dit forum gaat over samenwerken met ouders. Je bericht past daar niet bij.",
    ),
    (
        "Niet respectvol",
        "Je bericht spreekt niet respectvol over ouders, kinderen of collega's. Lees de "
        "gespreksregels en probeer het opnieuw.",
    ),
]

# Watched words, one of each action, to show how they work.
DEMO_WATCHED_WORDS = [
    ("sukkel", "block"),
    ("rechtszaak", "require_approval"),
    ("inspectie", "flag"),
]
