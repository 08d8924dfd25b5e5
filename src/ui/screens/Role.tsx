// Step choice: load balancer, Gateway Manager or Gateway Worker, each with what it does.
// The load balancer's plan is not built in this version: choosing it says so and stays here.
import { useMemo, useState } from 'react';
import { Box, Text, useInput } from 'ink';
import SelectInput from 'ink-select-input';
import { asRole, ROLE_INFO, type Role } from '../../core/answers/schema.js';
import { needsProductHome, rolePlanned, type NodeState } from '../../core/node/session.js';
import { PROCEDURE } from '../components/StepIndicator.js';
import { Paragraph } from '../components/Paragraph.js';


const ITEMS = PROCEDURE.flatMap((p) => ('role' in p ? [{ key: p.role, label: p.role, value: p.role as Role }] : []));

export const LATER =
  'The load balancer step (nginx) comes in a later version of apim-gateway-wizard: this version configures the ' +
  'Gateway Manager and the Gateway Workers. Pick one of them, or set nginx up by hand ' +
  '(WSO2 docs: "Configuring the Proxy Server and the Load Balancer").';

type ItemProps = { isSelected?: boolean; label: string };

/**
 * Title and what the role does, wrapped to the frame by hand: Ink gives a column box next to
 * the select indicator one column too many, and a terminal wraps an 81-column line.
 */
function itemComponent(width: number, planned: (role: Role) => boolean) {
  return function Item({ isSelected = false, label }: ItemProps) {
    const role = label as Role;
    const info = ROLE_INFO[role];
    const later = planned(role) ? '' : ' (in a later version)';
    return (
      <Box flexDirection="column" width={width - 2}>
        <Text bold={isSelected} color={isSelected ? 'cyan' : undefined}>{`${info.title}${later}`}</Text>
        <Paragraph dimColor width={width - 2} indent={2}>
          {info.summary}
        </Paragraph>
      </Box>
    );
  };
}

export const NEEDS_HOME =
  'The Gateway Manager and the Gateway Workers are configured in the API-M home, and none was given: ' +
  'run the wizard again with --home /path/to/wso2am-2.x.0 (or from that directory).';

/** The role this node's saved answers give (the last apply's): picking another is a switch, confirmed after the questions. */
export function savedRole(node: NodeState): Role | undefined {
  // Without a product home the saved answers are the load balancer's: no Gateway role to switch from.
  const role = node.home === undefined ? undefined : node.saved.layer?.role;
  return asRole(role);
}

export interface RoleProps {
  width: number;
  hasHome: boolean;
  initial?: Role;
  looksLike?: Role;
  /** What the saved answers say this node is. */
  configuredAs?: Role;
  onPick: (role: Role) => void;
  /** Whether core has the step that plans a role (a test can show the screen without one). */
  planned?: (role: Role) => boolean;
  onBack: () => void;
  onQuit: () => void;
}

export function RoleScreen({ width, hasHome, initial, looksLike, configuredAs, onPick, onBack, onQuit, planned = rolePlanned }: RoleProps) {
  const [refusal, setRefusal] = useState<string>();
  const Item = useMemo(() => itemComponent(width, planned), [width, planned]);
  useInput((input, key) => {
    if (key.escape) onBack();
    else if (input === 'q') onQuit();
  });
  const start = Math.max(0, ITEMS.findIndex((i) => i.value === initial));
  return (
    <Box flexDirection="column">
      <Text>What is this node?</Text>
      {looksLike ? <Text dimColor>{`Its files say: ${ROLE_INFO[looksLike].title}.`}</Text> : null}
      {configuredAs ? (
        <Paragraph dimColor width={width}>{`Its saved answers say: ${ROLE_INFO[configuredAs].title}. Another Gateway role switches it: what that changes and leaves is shown, and asked, before the review.`}</Paragraph>
      ) : null}
      <Box marginTop={1}>
        <SelectInput
          items={ITEMS}
          initialIndex={start}
          itemComponent={Item}
          onHighlight={() => setRefusal(undefined)}
          onSelect={(item) => {
            if (!planned(item.value)) setRefusal(LATER);
            else if (needsProductHome(item.value) && !hasHome) setRefusal(NEEDS_HOME);
            else onPick(item.value);
          }}
        />
      </Box>
      {refusal ? (
        <Box marginTop={1}>
          <Paragraph color="yellow" width={width}>{refusal}</Paragraph>
        </Box>
      ) : null}
    </Box>
  );
}
