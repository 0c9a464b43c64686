import { ActionIcon, Card, Group, Select, Stack, Text, TextInput, Textarea } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { IconTrash } from "@tabler/icons-react";
import { api, keys } from "../api";
import type { Language } from "../bindings/Language";
import type { ProposalContent } from "../bindings/ProposalContent";
import type { Translation } from "../bindings/Translation";

/** The languages the backend names, as select options, with `keep` added where it is a tag
 * the list does not name. */
export function languageOptions(languages: Language[] | undefined, keep: (string | null | undefined)[] = []) {
  const options = (languages ?? []).map((l) => ({ value: l.tag, label: l.native === l.english ? l.native : `${l.native} · ${l.english}` }));
  for (const tag of keep) {
    if (tag && !options.some((o) => o.value === tag)) options.push({ value: tag, label: tag });
  }
  return options;
}

export function useLanguages() {
  return useQuery({ queryKey: keys.languages, queryFn: api.languages, staleTime: Infinity });
}

/** The microcredential's texts in other languages: one card per language, each giving the
 * title, short title, description and every outcome (the backend says what is missing). */
export function Translations({
  content,
  disabled,
  onChange,
  finding,
}: {
  content: ProposalContent;
  disabled: boolean;
  onChange: (translations: Translation[]) => void;
  finding: (...fields: string[]) => string | undefined;
}) {
  const languages = useLanguages();
  const list = content.translations;
  const used = [content.language ?? "en", ...list.map((t) => t.language)];
  const update = (i: number, patch: Partial<Translation>) => onChange(list.map((t, j) => (j === i ? { ...t, ...patch } : t)));
  const add = (language: string) => onChange([...list, { language, title: "", short_title: null, description: "", outcomes: [] }]);
  return (
    <Stack gap="sm" data-testid="translations">
      {list.length === 0 && (
        <Text size="sm" c="dimmed">
          The title, description and outcomes may also be given in other languages; a certificate template in one of them prints it, and the catalog publishes each.
        </Text>
      )}
      {list.map((t, i) => {
        const options = languageOptions(languages.data, [t.language]).filter((o) => o.value === t.language || !used.includes(o.value));
        const field = (name: string) => finding(`translations[${i}].${name}`);
        const name = languages.data?.find((l) => l.tag === t.language)?.native ?? t.language;
        return (
          <Card key={i} withBorder padding="sm" data-testid={`translation-${i}`}>
            <Stack gap="xs">
              <Group align="flex-end" wrap="nowrap">
                <Select
                  label="Language"
                  searchable
                  allowDeselect={false}
                  disabled={disabled}
                  value={t.language}
                  onChange={(v) => v && update(i, { language: v })}
                  data={options}
                  error={field("language")}
                  style={{ flex: 1 }}
                  data-testid="translation-language"
                />
                <ActionIcon variant="subtle" color="red" disabled={disabled} aria-label={`Remove the texts in ${t.language}`} onClick={() => onChange(list.filter((_, j) => j !== i))} mb={4}>
                  <IconTrash size={16} />
                </ActionIcon>
              </Group>
              <TextInput label={`Title in ${name}`} lang={t.language} disabled={disabled} value={t.title} onChange={(e) => update(i, { title: e.currentTarget.value })} error={field("title")} data-testid="translation-title" />
              <TextInput label={`Short title in ${name} (on the badge)`} lang={t.language} disabled={disabled} value={t.short_title ?? ""} onChange={(e) => update(i, { short_title: e.currentTarget.value === "" ? null : e.currentTarget.value })} />
              <Textarea label={`Description in ${name}`} lang={t.language} autosize minRows={2} disabled={disabled} value={t.description} onChange={(e) => update(i, { description: e.currentTarget.value })} error={field("description")} />
              <Textarea
                label={`Learning outcomes in ${name}`}
                description="One per line, in the order of the outcomes in Learning design"
                lang={t.language}
                autosize
                minRows={2}
                disabled={disabled}
                value={t.outcomes.join("\n")}
                onChange={(e) => update(i, { outcomes: e.currentTarget.value.split("\n") })}
                error={field("outcomes")}
                data-testid="translation-outcomes"
              />
            </Stack>
          </Card>
        );
      })}
      {!disabled && (
        <Select
          label="Add a language"
          placeholder="Give the texts in another language"
          searchable
          value={null}
          onChange={(v) => v && add(v)}
          data={languageOptions(languages.data).filter((o) => !used.includes(o.value))}
          w={360}
          data-testid="add-translation"
        />
      )}
    </Stack>
  );
}
