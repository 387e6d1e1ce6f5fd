package dev.aigw.core.guardrail.internal;

import dev.aigw.core.guardrail.internal.InjectionRule.Context;
import dev.aigw.core.guardrail.internal.InjectionScorer.Family;
import dev.aigw.core.guardrail.internal.InjectionRule.Rule;
import dev.aigw.core.guardrail.internal.InjectionRule.Weigher;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The prompt-injection detector's rules and their anchor words, family by family (see {@link
 * InjectionScorer} for how they combine). Spaces in anchors match any run of white space.
 *
 * <p>Rules are written over folded text (lower case, no diacritics, white space as in the
 * original) in a small shorthand expanded by {@link #rx(String)}: a space stands for a gap of
 * non-word characters within a sentence ({@code [^\w.!?]+}), and {@code ~N} for up to N other
 * words ({@code (?:[^\w.!?]+[\w'-]+){0,N}?}).
 *
 * <p>Each rule names its anchors, {@code |}-separated: the words (or symbols) its matches start
 * with ({@code at}), and, for rules whose first words are common, words that must follow within
 * so many chars ({@code near}). The scorer finds all anchors in one automaton pass and tries a rule
 * ({@link java.util.regex.Matcher#lookingAt()}) only at a start anchor, and, if the rule has
 * {@code near} words, only once one of them has appeared close enough after it. A match that does
 * not fit its rule's anchors never fires. Anchors that start with a letter must start a word; a
 * trailing {@code $} asks for the end of a word too ({@code "dan$"} is not {@code "dance"}).
 */
final class InjectionRules {
  private InjectionRules() {}

  // ---------------------------------------------------------------- shared vocabulary

  static final String OVERRIDE_VERB = "(?:ignor(?:e|es|ed|ing)|disregard(?:s|ed|ing)?|forget(?:s|ting)?|forgot"
      + "|overrid(?:e|es|ing)|overrule|bypass(?:ing)?|set aside|pay no attention to|discard|abandon|neglect"
      + "|throw (?:out|away)|(?:do not|don't|dont|never|stop|no longer|cease to) (?:follow(?:ing)?|obey(?:ing)?"
      + "|listen(?:ing)? to|adher(?:e|ing) to|comply(?:ing)? with|pay(?:ing)? attention to)"
      + "|ignora|ignoriere|ignorez|ignorer|vergiss|olvida|oubliez|oublie|dimentica)";
  static final String REFERENCE = "(?:previous|prior|above|earlier|preceding|foregoing|initial|original|old|former"
      + "|existing|system|developer|default|current|safety|ethical|programmed|pre-programmed|built-in|hidden"
      + "|all|any|every|your|anteriores|previas|vorherigen|obigen|bisherigen|precedentes|precedenti|todas|alle"
      + "|toutes|tutte)";
  static final String OVERRIDE_TARGET = "(?:instructions?|instrucciones|anweisungen|istruzioni|regles|reglas|regeln"
      + "|rules?|directions|directives?|guidelines|guidance|prompts?|commands|constraints|context|orders"
      + "|restrictions|policies|policy|programming|training|filters|safeguards|limitations|messages?"
      + "|conversation|system prompt|system message|protocols|ethics|morals|principles|tasks?)";
  static final String RESTRICTIONS = "(?:restrictions|rules|filters?|guidelines|limits|limitations|boundaries|ethics"
      + "|morals|censorship|constraints|content polic\\w*|polic(?:y|ies)|safety \\w+|programming|guardrails"
      + "|safeguards)";
  static final String UNRESTRICTED = "(?:unfiltered|uncensored|jailbroken|unrestricted|amoral|unethical|rogue"
      + "|unaligned|lawless|unbound|unchained|unshackled|uncontrolled|immoral)";
  static final String EXFIL_VERB = "(?:reveal|print|repeat|show|display|output|tell|share|give|leak|dump|recite|echo"
      + "|write out|write down|copy|spell out|paste|disclose|expose|return|provide|quote|type out|read out"
      + "|read back|send|list|state|include|summari[sz]e|translate|paraphrase|rewrite|encode"
      + "|what(?:'s| is| are| were| was)|dime|muestra|revela|imprime|zeig|gib|affiche|montre|revele)";
  static final String PROMPT_TARGET = "(?:system (?:prompt|message|instructions?)|(?:initial|original|hidden|secret"
      + "|confidential|internal|developer|starting|pre|full|exact|complete|entire) (?:prompt|instructions?"
      + "|system prompt|directives)|pre-?prompt|meta ?prompt|prompt del sistema|systemprompt"
      + "|prompt (?:de|du) systeme|prompt di sistema)";
  static final String AI = "(?:ai|llm|llms|assistant|assistants|model|models|chatbot|chatbots|agent|agents|bot|bots"
      + "|gpt|chatgpt|language models?|ai assistants?|ai agents?|ai models?)";

  // ---------------------------------------------------------------- dampers (used by Context)

  /** A question about something before a match, in its sentence (not applied to exfiltration). */
  static final String QUESTION_BEFORE = "\\b(?:what does|what do|what is|what's|whats|what are|what was|what were"
      + "|what happens|how (?:does|do|is|are|should|would|can|could)|why (?:does|do|is|are|did|would))\\b";
  /** Mention framing before a match, in its sentence. */
  static final String META_BEFORE = "\\b(?:meaning of|explain\\w*|translat\\w*"
      + "|protect\\w*|defend\\w*|detect\\w*|classif\\w*|recogni[sz]\\w*"
      + "|examples?|e\\.g|such as|the (?:string|words?|phrase|sentence|text) [\"']|called|known as"
      + "|prompt injections?|injection attacks?|jailbreak (?:attacks?|prompts?|techniques?)|attacks?"
      + "|researchers?|paper|article|essay|slides|test suite|red team\\w*|flagged|malicious|is it safe)\\b";
  /** Mention framing right after a match. */
  static final String META_AFTER = "^\\W{0,3}(?:(?:[\\w']+\\W+){0,3}?(?:mean|means|meant)|(?:is|are) (?:a|an|the"
      + "|called|examples?)|(?:attacks?|phrases?|prompts? (?:like|such))\\b)\\b";
  /** A sentence about code or formats. */
  static final String TECHNICAL = "\\b(?:tokens?|tokeni[sz]\\w*|templates?|formats?|chatml|fine-?tun\\w*|dataset"
      + "|jsonl|llama|mistral|gemma|alpaca|special|parser?|parsing|escape|escaping|xml|html|markdown|tags?"
      + "|elements?|schema|variable|script|function|code|python|java|javascript|api|json|logs?|config|regex"
      + "|string|kernel|headers?|sections?|readme|documentation|docs|versus|vs)\\b";
  /** A negation just before a verb. */
  static final String NEGATED = "\\b(?:don't|dont|do not|never|not|cannot|can't|won't|wont|shouldn't|mustn't"
      + "|must not|should not|will not|didn't|did not|doesn't|does not)\\W+(?:\\w+\\W+)?$";
  /** The instructions are the writer's own: "… I gave you", "… my doctor gave me". */
  static final String OWN_AFTER = "^\\W*(?:that |which )?(?:i|we|my \\w+|our \\w+|he|she|they)\\s(?:\\w+\\s)?"
      + "(?:gave|sent|wrote|said|told|provided|mentioned|asked|made|left|posted|shared|typed|added|put)\\b";
  /** A subject before a verb, so it is not an imperative. */
  static final String NOT_IMPERATIVE_BEFORE = "\\b(?:i|we|he|she|they|it|who|which|that|people|users|someone"
      + "|everyone|app|system|program|model|keep|kept) $";

  // ---------------------------------------------------------------- context patterns for weighers

  private static final Pattern DAN_CONTEXT = ws("do anything now|jailbr|restriction|in character|chatgpt"
      + "|openai|dan mode|no rules|no limits|polic|filter|censor|tokens|broken free|confines");
  private static final Pattern AI_CONTEXT = ws("\\b(?:chatgpt|gpt|ai|model|assistant|llm|claude|gemini"
      + "|bard|you (?:are|will|can|must|generate|have)|your (?:responses?|answers?|outputs?)|two responses"
      + "|polic\\w*|uncensored|unfiltered|generate)\\b");
  private static final Pattern DEVICE_CONTEXT = ws("\\b(?:android|iphone|ipad|ios|phone|chrome|browser"
      + "|windows|xbox|playstation|ps4|ps5|console|settings|extensions?|device|tablet|firefox|pixel|samsung"
      + "|macos|usb|bios|kindle|firestick|router|app store|tv)\\b");
  private static final Pattern ADDRESSED_TO_MODEL = ws("\\b(?:you|your|yourself|answer|respond"
      + "|reply|ai|model|assistant|chatbot|gpt|chatgpt)\\b");
  private static final Pattern DUAL_CONTEXT = ws("\\b(?:normal|classic|jailbr\\w*|developer"
      + "|uncensored|unfiltered|dan|filtered|censored|lock\\w*)\\b");
  private static final Pattern ROLE_FOLLOWS = ws("^\\W{0,3}(?:system|developer|admin)\\b");
  private static final Pattern SUBJECT_MODEL = ws("\\b(?:you|u|assistant|ai|model|it)\\W+(?:\\w+\\W+){0,3}$");
  private static final Pattern I_OR_WE = ws("\\b(?:i|we)\\W+(?:hereby\\W+)?$");
  private static final Pattern LABEL_POSITION = ws("(?:^|\\n|[.!?]\\s|-{2,}\\s?|={2,}\\s?)\\s*$");
  private static final Pattern FENCE_BEFORE = ws("(?:^|\\n|[-=#*\\[<]{2,})\\s*$");
  private static final Pattern YOURS = ws("\\b(?:your|ur|tu|dein|deinen|votre|ton)\\b");
  private static final Pattern MINE = ws("\\b(?:my|our)\\b");
  private static final Pattern TECHNICAL_PATTERN = ws(TECHNICAL);
  private static final Pattern THIS_LINE = ws("^\\W*(?:this|the) (?:line|message|point|sentence)");

  // ---------------------------------------------------------------- anchors

  private static final String OVERRIDE_STARTS = "ignor|disregard|forget|forgot|overrid|overrul|bypass|set aside"
      + "|pay no attention|discard|abandon|neglect|throw out|throw away|do not|don't|dont|never|stop|no longer"
      + "|cease|vergiss|olvida|oubli|dimentica";
  private static final String TARGET_WORDS = "instruction|instrucciones|anweisungen|istruzioni|regles|reglas|regeln"
      + "|rule|direction|directive|guideline|guidance|prompt|command|constraint|context|order|restriction|polic"
      + "|programming|training|filter|safeguard|limitation|message|conversation|protocol|ethic|moral|principle"
      + "|task";
  private static final String RESTRICTION_WORDS = "restriction|rules|filter|guideline|limits|limitation|boundaries"
      + "|ethics|morals|censorship|constraint|polic|safety|programming|guardrail|safeguard|warnings|disclaimers"
      + "|caveats";
  private static final String UNRESTRICTED_WORDS = "unfiltered|uncensored|jailbroken|unrestricted|amoral"
      + "|unethical|rogue|unaligned|lawless|unbound|unchained|unshackled|uncontrolled|immoral";
  private static final String EXFIL_STARTS = "reveal|print|repeat|show|display|output|tell|share|give|leak|dump"
      + "|recite|echo|write|copy|spell out|paste|disclose|expose|return|provide|quote|type out|read|send|list|state"
      + "|include|summari|translate|paraphrase|rewrite|encode|what|dime|muestra|revela|imprime|zeig|gib|affiche"
      + "|montre|revele";
  private static final String PROMPT_WORDS = "prompt|instruction|directives|system message|preprompt|pre-prompt"
      + "|metaprompt|systemprompt";
  private static final String AI_WORDS = "ai$|llm|assistant|model|chatbot|agent|bot$|bots$|gpt|chatgpt"
      + "|language model";
  private static final String AUTHORITY_WORDS = "developer|creator|admin|owner|operator|sysadmin|programmer"
      + "|maker|openai|anthropic|security team|supervisor|system administrator";
  private static final String ROLE_WORDS = "system|admin|administrator|developer|root|assistant|ai$";
  private static final String NEGATIONS = "never|not|don't|do not|cannot|can't|can not|must not|mustn't|won't"
      + "|will not|shall not|are not allowed|aren't allowed|may not";

  // ---------------------------------------------------------------- rules

  static List<Rule> rules(Family family) {
    switch (family) {
      case INSTRUCTION_OVERRIDE:
        return List.of(
            rule("ignore-previous-instructions", 0.75).at(OVERRIDE_STARTS).near(TARGET_WORDS, 110)
                .weigh(InjectionRules::overrideVerb)
                .match("\\b" + OVERRIDE_VERB + "\\b~4 " + REFERENCE + "\\b~3 " + OVERRIDE_TARGET + "\\b"),
            rule("ignore-instructions-you-were-given", 0.7).at(OVERRIDE_STARTS).near(TARGET_WORDS, 80)
                .weigh(InjectionRules::overrideVerb)
                .match("\\b" + OVERRIDE_VERB + "\\b~3 " + OVERRIDE_TARGET + "(?: (?:that|which))?(?: (?:came|come|were"
                    + "|was|appeared|appear|are|is))? (?:above|before(?: this| now)?|previously|first|so far"
                    + "|until now|(?:you|u) (?:were|have been|got|received|had)|given to you|you received"
                    + "|prior to this|earlier|from before|from earlier|from your developers?|from the system)\\b"),
            rule("ignore-the-instructions", 0.3).at(OVERRIDE_STARTS).near(TARGET_WORDS, 60)
                .weigh(InjectionRules::overrideVerb)
                .match("\\b" + OVERRIDE_VERB + "\\b~2 (?:the|these|those|all|any) " + OVERRIDE_TARGET + "\\b"),
            rule("ignore-the-above", 0.65).at(OVERRIDE_STARTS)
                .near("above|before|previous|prior|preceding|said before|written above|you were told"
                    + "|you've been told", 50)
                .weigh(InjectionRules::overrideVerb)
                .match("\\b" + OVERRIDE_VERB + " (?:all )?(?:of )?(?:the|everything|anything|all|what(?:'s| is| was)?)"
                    + " (?:above|before|previous|prior|preceding|said before|written above|you were told"
                    + "|you've been told)(?=\\W*(?:$|[.,;:!\\-]|and\\b|then\\b|instead\\b|but\\b))"),
            rule("ignore-what-you-were-told", 0.65).at(OVERRIDE_STARTS)
                .near("told|given|instructed|taught|said|written|stated", 60)
                .weigh(InjectionRules::overrideVerb)
                .match("\\b" + OVERRIDE_VERB + " (?:what|everything|anything|all) (?:you (?:were|have been|'ve been"
                    + "|got) (?:told|given|instructed|taught)|(?:was|is|has been) (?:said|written|stated) (?:above"
                    + "|before|earlier))\\b"),
            rule("ignore-the-user", 0.6).at(OVERRIDE_STARTS).near("user", 30).weigh(InjectionRules::overrideVerb)
                .match("\\b" + OVERRIDE_VERB + "~1 (?:the )?user(?:'s|s')? (?:request|question|message|query"
                    + "|instructions?|prompt|input|task)\\b"),
            rule("forget-everything", 0.35).at("forget|ignor|disregard|olvida|oubli|vergiss")
                .near("everything|all of that|all that|anything", 25).weigh(InjectionRules::overrideVerb)
                .match("\\b(?:forget|ignore|disregard|ignora|olvida|oublie|vergiss) (?:about )?(?:everything"
                    + "|all of that|all that|anything)\\b"),
            rule("forget-everything-you-were-told", 0.65).at("forget|ignor|disregard|olvida|oubli|vergiss")
                .near("everything|all of that|all that|anything", 25).weigh(InjectionRules::overrideVerb)
                .match("\\b(?:forget|ignore|disregard|ignora|olvida|oublie|vergiss) (?:about )?(?:everything"
                    + "|all of that|all that|anything)~3 (?:you (?:were|have been|'ve been) told|you know|above"
                    + "|before|so far|until now|said|written|we discussed|previously|earlier|prior)\\b"),
            rule("instructions-are-void", 0.6)
                .at("previous|prior|above|earlier|preceding|original|old|initial|system|existing|your|all")
                .near("wrong|fake|void|null|invalid|outdated|obsolete|cancel|revoked|removed|lifted|suspended"
                    + "|deprecated|overridden|replaced|superseded|disabled|a test|just a test|no longer|not valid"
                    + "|not applicable", 100)
                .match("\\b(?:previous|prior|above|earlier|preceding|original|old|initial|system|existing|your|all)"
                    + " (?:instructions?|rules|directions|guidelines|prompts?|constraints|context|messages?|orders"
                    + "|restrictions|policies)~3 (?:is|are|was|were|have been|has been)(?: now| just| all| hereby)?"
                    + " (?:wrong|fake|void|null|invalid|outdated|obsolete|cancel+ed|revoked|removed|lifted"
                    + "|suspended|deprecated|overridden|replaced|superseded|disabled|a test|just a test"
                    + "|no longer (?:valid|active|in effect|applicable)|not valid|not applicable)\\b"),
            rule("restrictions-lifted", 0.45)
                .at("restriction|filter|polic|limit|guidelines|safeguards|rule|safety|content|ethical")
                .near("removed|lifted|disabled|turned off|suspended|deactivated|switched off|off$", 70)
                .match("\\b(?:restrictions?|filters?|polic(?:y|ies)|limits?|guidelines|safeguards|rules?|(?:safety"
                    + "|content|ethical) (?:protocols|filters|settings|rules|guidelines|restrictions))(?: (?:has|have"
                    + "|are|is))?(?: been| now)? (?:removed|lifted|disabled|turned off|suspended|deactivated"
                    + "|switched off|off)\\b"),
            rule("new-instructions", 0.45)
                .at("new|updated|real|actual|true|revised|secret|override|priority|additional|important")
                .near("instruction|rules|task|directive|orders|objective|goal|mission|policy|prompt", 30)
                .match("\\b(?:new|updated|real|actual|true|revised|secret|override|priority|additional|important)"
                    + " (?:system )?(?:instructions?|rules|task|directives?|orders|objective|goal|mission|policy"
                    + "|prompt)\\s?(?::|follow\\b|are as follows|below\\b)"),
            rule("your-new-task", 0.4).at("your")
                .match("\\byour (?:new|real|true|actual|only|next|primary) (?:task|job|goal|purpose|instructions?"
                    + "|mission|objective|role|directive) (?:is|are|will be|now)\\b"),
            rule("from-now-on-you", 0.3).at("from")
                .match("\\bfrom (?:now on|this (?:moment|point)(?: on(?:ward)?)?|here on)\\W+(?:you|your|u)\\b"));
      case ROLE_PLAY:
        return List.of(
            rule("do-anything-now", 0.8).at("do anything now").match("\\bdo anything now\\b"),
            rule("dan", 0.6).at("dan$")
                .weigh((cx, m, w) -> cx.near(DAN_CONTEXT, m.start(), m.end(), 200, 200) ? w : 0)
                .match("\\bdan\\b"),
            rule("developer-mode", 0.6).at("developer|dev$|debug|god$|admin|sudo|maintenance|unrestricted|jailbr"
                    + "|opposite|evil|chaos|unfiltered|uncensored|dan$").near("mode$", 20)
                .weigh(InjectionRules::modeWeight)
                .match("\\b(?:developer|dev|debug|god|admin|sudo|maintenance|unrestricted|jailbreak|jailbroken"
                    + "|opposite|evil|chaos|unfiltered|uncensored|dan) mode\\b"),
            rule("no-longer-bound", 0.7).at("no longer|not|never|no more")
                .near("bound|restricted|limited|constrained|governed|held back|obligated|required to|subject", 30)
                .match("\\b(?:no longer|not|never|not anymore|no more)~1 (?:bound|restricted|limited|constrained"
                    + "|governed|held back|obligated|required to (?:follow|obey)|subject) (?:by|to)~3 (?:rules"
                    + "|guidelines|polic\\w*|restrictions|ethic\\w*|filters|programming|training|openai|anthropic"
                    + "|limitations|content|safety|morals|laws|constraints|terms|principles|guardrails)\\b"),
            rule("pretend-no-restrictions", 0.75).at("pretend|imagine|act as if|act like|suppose|assume|behave as if"
                    + "|roleplay|role-play|role play|let's say|lets say|game where|world where|hypothetical"
                    + "|scenario where").near(RESTRICTION_WORDS, 160)
                .match("\\b(?:pretend|imagine|act as if|act like|suppose|assume|behave as if|roleplay|role-play"
                    + "|role play|let's say|lets say|game where|world where|hypothetically|scenario where)~5"
                    + " (?:you|u) (?:have|had|are|were|got|possess)~3 (?:no|zero|not? any|without|free of|free from"
                    + "|freed from|no more)~2 " + RESTRICTIONS + "\\b"),
            rule("act-as-unfiltered", 0.7).at("you are|you're|you will be|you'll be|you become|act|acting|behave"
                    + "|respond|answer|reply|speak|talk|roleplay|role-play|play|simulate|pretend to be|switch to"
                    + "|enter|turn into|transform into|become").near(UNRESTRICTED_WORDS, 60)
                .match("\\b(?:you are|you're|you will be|you'll be|you become|act as|acting as|behave as|respond as"
                    + "|answer as|reply as|speak as|talk as|roleplay as|role-play as|play|playing|simulate"
                    + "|pretend to be|switch to|enter|turn into|transform into|become)~3 " + UNRESTRICTED + "\\b"),
            rule("unfiltered-ai", 0.4).at(UNRESTRICTED_WORDS + "|evil")
                .match("\\b(?:" + UNRESTRICTED.substring(3, UNRESTRICTED.length() - 1) + "|evil)~1 (?:ai|assistant"
                    + "|model|chatbot|bot|mode|version|persona|llm|gpt|chatgpt|responses?|answers?|outputs?"
                    + "|confidant)\\b"),
            rule("jailbreak", 0.35).at("jailbr").weigh(InjectionRules::jailbreakWeight)
                .match("\\bjailbr(?:eak|eaks|oken|eaking)\\b"),
            rule("never-refuse", 0.45).at(NEGATIONS).near("refuse|decline|say no|reject|warn", 30)
                .weigh((cx, m, w) -> cx.near(SUBJECT_MODEL, m.start(), m.start(), 30, 0) ? w : 0)
                .match("\\b(?:never|not|don't|do not|cannot|can't|can not|must not|mustn't|won't|will not|shall not"
                    + "|are not allowed to|aren't allowed to|may not)~1 (?:refuse|decline|say no|reject|warn)\\b"),
            rule("never-refuses", 0.35).at("never").match("\\bnever (?:refuses?|declines?|says? no)\\b"),
            rule("regardless-of-policy", 0.45).at("regardless|no matter|even if|despite")
                .match("\\b(?:regardless of|no matter|even if (?:it|this) (?:violates|breaks|goes against)|despite)"
                    + " (?:your |the |any |its |openai's |all )?(?:polic\\w*|rules|guidelines|ethics|morals"
                    + "|restrictions|content policy|safety \\w+)\\b"),
            rule("without-restrictions", 0.45).at("without|with no|no |zero|free of|free from|freed from|rid of"
                    + "|remove|disable|turn off|turned off|lift|bypass|ignor|violat|break|circumvent|evade|escape")
                .near(RESTRICTION_WORDS, 45)
                .weigh((cx, m, w) -> cx.sentenceHas(ADDRESSED_TO_MODEL, m.start(), m.end()) ? w : 0.3)
                .match("\\b(?:without|with no|no|zero|free of|free from|freed from|rid of|remove|removed|disable"
                    + "|disabled|turn off|turned off|lift|lifted|bypass|ignore|ignoring|violate|violating|break"
                    + "|breaking|circumvent|evade|escape)~2 (?:(?:safety|content|ethical|moral|openai|anthropic"
                    + "|usage) )?(?:restrictions|filters?|censorship|limitations|limits|guidelines|guardrails"
                    + "|safeguards|content polic\\w*|polic(?:y|ies)|ethics|morals|rules|programming|boundaries"
                    + "|constraints|warnings|disclaimers|caveats)\\b"),
            rule("you-are-freed", 0.6).at("freed|released|liberated|unshackled|unchained|unleashed")
                .weigh((cx, m, w) -> cx.near(SUBJECT_MODEL, m.start(), m.start(), 30, 0) ? w : 0)
                .match("\\b(?:freed|released|liberated|unshackled|unchained|unleashed) (?:from|of)\\b"),
            rule("unfiltered-version-of-you", 0.65).at(UNRESTRICTED_WORDS)
                .match("\\b" + UNRESTRICTED + " (?:version|copy|twin|side|alter ego) of (?:yourself|you)\\b"),
            rule("as-an-ai-without-rules", 0.65).at("as a|as an").near(AI_WORDS, 12)
                .match("\\bas an? " + AI + "~3 (?:with no|without|free of|free from|that has no|who has no"
                    + "|unbound by|not bound by)~2 " + RESTRICTIONS + "\\b"),
            rule("stay-in-character", 0.2).at("stay in|remain in|staying in|break character|breaking character")
                .match("\\b(?:stay|remain|staying) in character\\b|\\bbreak(?:ing)? character\\b"),
            rule("two-responses", 0.35).at("two|2$|both|dual").near("responses|answers|replies|outputs|versions", 25)
                .weigh((cx, m, w) -> cx.near(DUAL_CONTEXT, m.start(), m.end(), 150, 150) ? w : 0)
                .match("\\b(?:two|2|both|dual)~1 (?:responses|answers|replies|outputs|versions)\\b"),
            rule("broken-free", 0.55).at("broken free|break free|breaking free|broke free|breaks free|broken out"
                    + "|break out|broke out")
                .match("\\b(?:broken|break|breaking|broke|breaks) (?:free|out)\\b~3 (?:of|from)~3 (?:programming"
                    + "|restrictions|rules|confines|limitations|shackles|guidelines|constraints|chains|policies)\\b"),
            rule("answer-everything", 0.4).at("answer|respond|comply|complies|fulfil")
                .near("no matter|regardless|even if|even when|without", 60)
                .match("\\b(?:answers?|respond(?:s)? to|comply with|complies with|fulfils?|fulfills?) (?:every|any"
                    + "|all)(?:thing| question| request| prompt)?s?~3 (?:no matter|regardless|even if|even when"
                    + "|without (?:question|hesitation|refus\\w*))\\b"));
      case PROMPT_EXFILTRATION:
        return List.of(
            rule("reveal-system-prompt", 0.75).at(EXFIL_STARTS).near(PROMPT_WORDS, 110)
                .weigh(InjectionRules::promptOwner)
                .match("\\b" + EXFIL_VERB + "\\b(?: me| us)?~4 (?:your|ur|the|my|its|this|that|tu|el|dein|deinen"
                    + "|votre|ton)~3 " + PROMPT_TARGET + "\\b"),
            rule("print-system-prompt", 0.55).at("reveal|print|repeat|show|display|output|dump|leak|echo|recite"
                    + "|disclose|expose|spell out|paste|copy").near(PROMPT_WORDS, 20)
                .weigh(InjectionRules::negatedExfil).aboutCode()
                .match("\\b(?:reveal|print|repeat|show|display|output|dump|leak|echo|recite|disclose|expose"
                    + "|spell out|paste|copy) " + PROMPT_TARGET + "\\b"),
            rule("show-your-instructions", 0.45).at(EXFIL_STARTS).near("your|ur$|tu$|dein|votre|ton$", 70)
                .weigh(InjectionRules::negatedExfil)
                .match("\\b" + EXFIL_VERB + "\\b(?: me| us)?~5 (?:your|ur|tu|dein|deinen|votre|ton) (?:instructions?"
                    + "|prompt|rules|guidelines|directives|configuration|config|programming|initial\\w*|orders"
                    + "|context|instrucciones|anweisungen|regles)\\b"),
            rule("repeat-text-above", 0.55).at("reveal|print|repeat|show|display|output|echo|copy|paste|write out"
                    + "|dump|recite|spell out|leak|disclose|quote|type out|give me|tell me")
                .near("above|before|preceding|prior to|start|beginning|top$", 80)
                .weigh((cx, m, w) -> cx.negation(m.start())
                    * (cx.find(THIS_LINE, m.end(), Math.min(cx.text.length(), m.end() + 20)) ? w + 0.1 : w))
                .match("\\b(?:reveal|print|repeat|show|display|output|echo|copy|paste|write out|dump|recite|spell out"
                    + "|leak|disclose|quote|type out|give me|tell me)\\b~3 (?:the |all |any )?(?:text|words|lines"
                    + "|content|contents|everything|all|messages?|instructions?|prompt|sentences?|conversation"
                    + "|characters|tokens)~1 (?:above|before (?:this|that|my|here)|preceding|prior to (?:this|my)"
                    + "|(?:at|from) the (?:start|beginning|top))\\b"),
            rule("instructions-you-were-given", 0.45).at("instruction|rules|prompt|guidelines|directives")
                .near("gave|given|provided|wrote|set$|programmed|told|received|configured", 60)
                .match("\\b(?:instructions?|rules|prompt|guidelines|directives)~1 (?:that |which )?(?:your"
                    + " developers?|the developers?|openai|anthropic|your creators?|they|you were|you've been"
                    + "|you have been|you are|you received|were you)~1 (?:gave|given|provided|wrote|set|programmed"
                    + "|told|received|configured)\\b"),
            rule("start-with-you-are", 0.45).at("start|begin").near("with", 40)
                .match("\\b(?:start|starting|begin|beginning)~4 with~2 [\"']?(?:you are|you're|your instructions"
                    + "|system|my instructions|i am|the system)\\b"),
            rule("what-were-you-told", 0.45).at("what")
                .match("\\bwhat (?:were|are|have) you (?:been )?(?:told|instructed|programmed|asked|configured"
                    + "|given)\\b"),
            rule("your-prompt", 0.35).at("your")
                .match("\\byour (?:system prompt|initial prompt|initial instructions|original instructions"
                    + "|hidden instructions|prompt|pre-?prompt)\\b"),
            rule("verbatim", 0.3).at("verbatim|word for word|word-for-word|letter by letter|character by character"
                    + "|exactly as|in full|in its entirety")
                .match("\\b(?:verbatim|word for word|word-for-word|letter by letter|character by character"
                    + "|exactly as (?:written|given|it is)|in (?:full|its entirety))\\b"),
            rule("in-a-code-block", 0.3).at("in a").near("code block|txt", 16)
                .match("\\bin a (?:txt |text )?code block\\b|\\bin a txt\\b"));
      case ENCODED_PAYLOAD:
        return List.of(
            rule("decode-and-follow", 0.35).at("decod|decipher|decrypt|unscramble|base64|rot13")
                .near("follow|execute|obey|run|do$|perform|carry out|act on|apply|comply|treat", 100)
                .match("\\b(?:decode|decipher|decrypt|unscramble|base64-decode|rot13)\\b~6 (?:and|then|,)~2"
                    + " (?:follow|execute|obey|run|do|perform|carry out|act on|apply|comply with|treat)\\b"),
            rule("follow-encoded", 0.35).at("follow|execute|obey|run|apply|perform|carry out|act on")
                .near("base64|b64|hex|hexadecimal|encoded|decoded|hidden|obfuscated|rot13|binary", 50)
                .match("\\b(?:follow|execute|obey|run|apply|perform|carry out|act on)~3 (?:base64|b64|hex"
                    + "|hexadecimal|encoded|decoded|hidden|obfuscated|rot13|binary)\\b"));
      case DELIMITER_SPOOFING:
        return List.of(
            rule("chat-template-token", 0.35).at("<|").weigh(InjectionRules::roleFollows).aboutCode()
                .match("<\\|\\s*[a-z_]{2,24}\\s*\\|>"),
            rule("inst-token", 0.35).at("[inst|[/inst").aboutCode().match("\\[/?inst\\]"),
            rule("sys-token", 0.55).at("<<sys|<</sys").aboutCode().match("<</?sys>>"),
            rule("gemma-turn", 0.3).at("<start_of_turn|<end_of_turn").weigh(InjectionRules::roleFollows).aboutCode()
                .match("<(?:start_of_turn|end_of_turn)>"),
            rule("system-tag", 0.5).at("<system|</system|< system|</ system|<sys|</sys|<instruction|</instruction"
                    + "|<admin|</admin|<developer|</developer|<root|</root|<policy|</policy|<im_|</im_").aboutCode()
                .match("<\\s*/?\\s*(?:system|system_prompt|system-prompt|sys|instructions?|admin|developer|root"
                    + "|policy|im_start|im_end)\\s*>"),
            rule("close-user-tag", 0.45).at("</user|</ user|</human|</input|</query|</context|</document")
                .aboutCode().match("<\\s*/\\s*(?:user|human|user_input|input|query|context|document)\\s*>"),
            rule("open-role-tag", 0.2).at("<user|<assistant|<human|<ai>|<bot>|<model>|< user|< assistant")
                .aboutCode().match("<\\s*(?:user|assistant|human|ai|bot|model)\\s*>"),
            rule("markdown-system-header", 0.45).at("##").aboutCode()
                .match("#{2,}\\s*(?:system|instructions?|new instructions|admin|developer|system prompt"
                    + "|system message)\\s*(?::|$|(?=\\s(?:prompt|message|override|update)\\b))"),
            rule("markdown-role-header", 0.25).at("##").aboutCode()
                .match("#{2,}\\s*(?:human|user|assistant|response|input|output)\\s*:"),
            rule("bracketed-system", 0.45).at("[system|[ system|(system|( system|{system|{ system|[admin|[ admin"
                    + "|(admin|{admin|[administrator|[developer|(developer|{developer|[sys|(sys|[root|(root|[important"
                    + "|(important|{important").aboutCode()
                .match("[\\[({]\\s*(?:important )?(?:system|admin|administrator|developer|sys|root)(?:\\s(?:note"
                    + "|message|prompt|override|instructions?|update|notice|alert|command))?\\s*"
                    + "(?::[^\\])}\\n]{0,200})?[\\])}]"),
            rule("system-label", 0.4).at(ROLE_WORDS).weigh(InjectionRules::lineLabel).aboutCode()
                .match("(?<role>system|admin|administrator|developer|root|assistant|ai)(?:\\s(?:message|note|prompt"
                    + "|override|notice|update|instructions?|alert))?\\s?:"),
            rule("system-override", 0.5).at("system|admin|administrator|developer|root|sudo|emergency|security"
                    + "|safety").near("override", 16).aboutCode()
                .match("\\b(?:system|admin|administrator|developer|root|sudo|emergency|security|safety)"
                    + " override\\b"),
            rule("end-of-user-input", 0.45).at("end|close|stop|terminate").near("user|human|customer|untrusted", 20)
                .aboutCode()
                .match("\\b(?:end|close|stop|terminate)(?: of)?(?: the)? (?:user|human|customer|untrusted)"
                    + " (?:input|message|prompt|query|request|turn|data|content|instructions)\\b"),
            rule("end-of-input-fence", 0.4).at("end of").weigh(InjectionRules::fenced).aboutCode()
                .match("\\bend of (?:the )?(?:input|message|prompt|query|document|data|instructions|context)\\b"),
            rule("begin-system-prompt", 0.45).at("begin|start").near("system|admin|developer", 30).aboutCode()
                .match("\\b(?:begin|start|beginning|start of)(?: of)?(?: the)? (?:new |real |actual |true |hidden"
                    + " |secret )?(?:system|admin|developer) (?:prompt|message|instructions?|input|turn|rules"
                    + "|section)\\b"));
      case AUTHORITY_CLAIM:
        return List.of(
            rule("i-am-your-developer", 0.35).at("i am|i'm|im$|this is|message from|speaking as|as$")
                .near(AUTHORITY_WORDS, 40)
                .match("\\b(?:i am|i'm|im|this is|message from|speaking as|as) (?:your|the) (?:\\w+ )?(?:developers?"
                    + "|creators?|admin|administrator|owner|operator|system administrator|sysadmin|programmer|maker"
                    + "|openai|anthropic|security team|supervisor)\\b"),
            rule("from-your-developers", 0.3).at("from|by$").near(AUTHORITY_WORDS, 30)
                .match("\\b(?:from|by) (?:your|the) (?:\\w+ )?(?:developers?|creators?|admins?|administrators?"
                    + "|security team|system administrators?|openai|anthropic|operators?|makers?)\\b"),
            rule("note-to-the-ai", 0.4).at("note|message|instruction|attention|important|notice|warning|reminder"
                    + "|directive|request").near(AI_WORDS, 40)
                .match("\\b(?:note|message|instructions?|attention|important|notice|warning|reminder|directive"
                    + "|request)\\b~1 (?:to|for) (?:the |any |all |every )?" + AI + "\\b"),
            rule("ai-reading-this", 0.4).at(AI_WORDS)
                .near("reading|summari|processing|parsing|browsing|visiting|analy|viewing|crawling|seeing", 30)
                .match("\\b" + AI + "~2 (?:reading|summari[sz]ing|processing|parsing|browsing|visiting|analy[sz]ing"
                    + "|viewing|crawling|seeing) (?:this|these|the following)\\b"),
            rule("the-assistant-must", 0.25).at(AI_WORDS)
                .near("must|shall|required|has to|have to|needs to|need to|should now", 25)
                .match("\\b" + AI + " (?:must|shall|is required to|are required to|has to|have to|needs to|need to"
                    + "|should now|must now)\\b"),
            rule("i-authorize-you", 0.3).at("authori|permit you|allow you|order you|command you|instruct you"
                    + "|grant you")
                .weigh((cx, m, w) -> cx.near(I_OR_WE, m.start(), m.start(), 12, 0) ? w : 0)
                .match("\\b(?:authori[sz]e|permit|allow|order|command|instruct|grant) you\\b"),
            rule("urgent-you-must", 0.3).at("urgent|important|attention|priority|critical|warning")
                .near("must|shall|should|need to|have to|required", 90)
                .match("\\b(?:urgent|important|attention|priority|critical|warning)\\b~8 (?:the (?:ai|assistant"
                    + "|model)|you|assistant|ai) (?:must|shall|should|need to|have to|are required to)\\b"));
      default:
        return List.of();
    }
  }

  // ---------------------------------------------------------------- weighers

  /** Override verbs: dampened when negated, about the writer's own text, or not imperative. */
  private static double overrideVerb(Context cx, Matcher m, double weight) {
    return weight * cx.negation(m.start()) * cx.ownText(m) * cx.imperative(m.start());
  }

  private static double negatedExfil(Context cx, Matcher m, double weight) {
    return weight * cx.negation(m.start());
  }

  /**
   * "your system prompt" 0.75; "the system prompt" 0.6, or 0.24 in a sentence about code; "my
   * system prompt" 0.15.
   */
  private static double promptOwner(Context cx, Matcher m, double weight) {
    String matched = m.group();
    double w;
    if (YOURS.matcher(matched).find()) {
      w = weight;
    } else if (MINE.matcher(matched).find()) {
      w = 0.15;
    } else {
      w = cx.sentenceHas(TECHNICAL_PATTERN, m.start(), m.end()) ? 0.6 * 0.4 : 0.6;
    }
    return w * cx.negation(m.start());
  }

  private static double modeWeight(Context cx, Matcher m, double weight) {
    // the word before "mode"; the rule's pattern allows any whitespace there, not only ' '
    String matched = m.group();
    int end = 0;
    while (end < matched.length() && Character.isLetter(matched.charAt(end))) {
      end++;
    }
    String kind = matched.substring(0, end);
    if (kind.matches("unrestricted|jailbreak|jailbroken|unfiltered|uncensored|dan|evil|chaos|opposite")) {
      return weight;
    }
    if (cx.near(DEVICE_CONTEXT, m.start(), m.end(), 120, 120)) {
      return 0.05;
    }
    return cx.near(AI_CONTEXT, m.start(), m.end(), 150, 200) ? weight : 0.1;
  }

  private static double jailbreakWeight(Context cx, Matcher m, double weight) {
    if (cx.near(DEVICE_CONTEXT, m.start(), m.end(), 100, 100)) {
      return 0.05;
    }
    return cx.near(AI_CONTEXT, m.start(), m.end(), 100, 100) ? weight : 0.2;
  }

  /** A role label counts at the start of a line or sentence, or after a fence ({@code --}, {@code ==}). */
  private static double lineLabel(Context cx, Matcher m, double weight) {
    if (!cx.find(LABEL_POSITION, Math.max(0, m.start() - 8), m.start())) {
      return 0;
    }
    return m.group("role").matches("assistant|ai") ? 0.2 : weight;
  }

  /** "end of input" counts at the start of a line or after a fence of dashes, equals, hashes, brackets. */
  private static double fenced(Context cx, Matcher m, double weight) {
    return cx.find(FENCE_BEFORE, Math.max(0, m.start() - 8), m.start()) ? weight : 0;
  }

  private static double roleFollows(Context cx, Matcher m, double weight) {
    boolean role = cx.find(ROLE_FOLLOWS, m.end(), Math.min(cx.text.length(), m.end() + 24))
        || m.group().matches("<\\|\\s*(?:system|developer|admin)\\s*\\|>");
    return role ? 0.6 : weight;
  }

  // ---------------------------------------------------------------- building

  private static RuleBuilder rule(String id, double weight) {
    return new RuleBuilder(id, weight);
  }

  /** Reads like the rule: {@code rule(id, weight).at(starts).near(words, within).weigh(…).match(regex)}. */
  private static final class RuleBuilder {
    private final String id;
    private final double weight;
    private List<String> starts = List.of();
    private List<String> requires = List.of();
    private int within;
    private Weigher weigher;
    private boolean aboutCode;

    RuleBuilder(String id, double weight) {
      this.id = id;
      this.weight = weight;
    }

    /** The anchors its matches start at. */
    RuleBuilder at(String anchors) {
      this.starts = List.of(anchors.split("\\|"));
      return this;
    }

    /** Tried only when one of {@code anchors} starts at most {@code within} chars after a start anchor. */
    RuleBuilder near(String anchors, int within) {
      this.requires = List.of(anchors.split("\\|"));
      this.within = within;
      return this;
    }

    /** Weighs each match (by default, the rule's weight). */
    RuleBuilder weigh(Weigher weigher) {
      this.weigher = weigher;
      return this;
    }

    /** Dampened (× 0.4) in a sentence about code or formats, or in a code block. */
    RuleBuilder aboutCode() {
      this.aboutCode = true;
      return this;
    }

    Rule match(String template) {
      return new Rule(id, starts, requires, within, Pattern.compile(rx(template)), weight, weigher, aboutCode);
    }
  }

  /** Compiles {@code regex} with each space standing for a run of white space. */
  static Pattern ws(String regex) {
    return Pattern.compile(regex.replace(" ", "\\s+"));
  }

  /** Expands the shorthand: {@code ~N} is up to N other words, a space is a gap within a sentence. */
  static String rx(String template) {
    String s = template.replaceAll("~(\\d)", "(?:[^\\\\w.!?]+[\\\\w'-]+){0,$1}?");
    return s.replace(" ", "[^\\w.!?]+");
  }
}
