import { Drawer } from "@mantine/core";
import { AuditTrail } from "./AuditTrail";

/** The audit trail of one record, in a side panel. */
export function HistoryDrawer({
  record,
  onClose,
}: {
  record: { entity: string; id: number; title: string } | null;
  onClose: () => void;
}) {
  return (
    <Drawer
      opened={record !== null}
      onClose={onClose}
      position="right"
      size="xl"
      title={record ? `History of ${record.title}` : ""}
    >
      {record && <AuditTrail entity={record.entity} entityId={String(record.id)} />}
    </Drawer>
  );
}
