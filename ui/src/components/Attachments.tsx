import { ActionIcon, Alert, Button, FileButton, Group, List, Stack, Table, Text } from "@mantine/core";
import { useMutation, useQuery } from "@tanstack/react-query";
import { IconExternalLink, IconTrash } from "@tabler/icons-react";
import { api, asAppError, keys } from "../api";
import type { AttachmentRef } from "../bindings/AttachmentRef";
import type { ProposalView } from "../bindings/ProposalView";
import { fileData, humanSize } from "../files";

/** Section 10: the files attached to a proposal (or to the version being read). */
export function Attachments({
  proposalId,
  files,
  editable,
  onChanged,
}: {
  proposalId: number;
  files: AttachmentRef[];
  editable: boolean;
  onChanged: (p: ProposalView) => void;
}) {
  const limit = useQuery({ queryKey: keys.attachmentLimit, queryFn: api.attachmentLimit });
  const attach = useMutation({
    mutationFn: async (picked: File[]) => api.attachFiles(proposalId, await Promise.all(picked.map(fileData))),
    onSuccess: onChanged,
  });
  const detach = useMutation({ mutationFn: (sha: string) => api.detachFile(proposalId, sha), onSuccess: onChanged });
  const open = useMutation({ mutationFn: (sha: string) => api.openAttachment(proposalId, sha) });
  const error = attach.error ?? detach.error ?? open.error;
  const problem = error ? asAppError(error) : null;
  return (
    <Stack gap="sm" data-testid="attachments">
      {files.length === 0 ? (
        <Text size="sm" c="dimmed">
          No files attached.
        </Text>
      ) : (
        <Table verticalSpacing={4} data-testid="attachments-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>File</Table.Th>
              <Table.Th>Type</Table.Th>
              <Table.Th>Size</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {files.map((f) => (
              <Table.Tr key={f.sha256} data-testid="attachment-row">
                <Table.Td>
                  <Text size="sm" title={`SHA-256 ${f.sha256}`}>
                    {f.name}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{f.media_type}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{humanSize(f.size)}</Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={4} justify="flex-end" wrap="nowrap">
                    <ActionIcon variant="subtle" aria-label={`Open ${f.name}`} onClick={() => open.mutate(f.sha256)}>
                      <IconExternalLink size={16} />
                    </ActionIcon>
                    {editable && (
                      <ActionIcon variant="subtle" color="red" aria-label={`Remove ${f.name}`} onClick={() => detach.mutate(f.sha256)}>
                        <IconTrash size={16} />
                      </ActionIcon>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {problem && (
        <Alert color="red" data-testid="attachment-error">
          {problem.fields.length ? (
            <List size="sm">
              {problem.fields.map((f, i) => (
                <List.Item key={i}>{f.message}</List.Item>
              ))}
            </List>
          ) : (
            problem.message
          )}
        </Alert>
      )}
      {editable && (
        <Group gap="sm">
          <FileButton multiple onChange={(picked) => picked.length && attach.mutate(picked)} inputProps={{ "data-testid": "attach-input" } as React.ComponentProps<"input">}>
            {(props) => (
              <Button {...props} variant="light" size="xs" loading={attach.isPending} data-testid="attach-files">
                Attach files
              </Button>
            )}
          </FileButton>
          <Text size="xs" c="dimmed">
            PDF, office documents, images or text{limit.data ? `, up to ${humanSize(limit.data)} each` : ""}. Files are kept inside the workspace.
          </Text>
        </Group>
      )}
    </Stack>
  );
}
