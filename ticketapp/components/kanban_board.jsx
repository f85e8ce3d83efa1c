// The ticket board: dnd-kit columns with sortable cards, mouse and keyboard, plus a "Move to"
// menu on every card. The server is the truth: props replace the local order column by column,
// except while a drag is in progress (the dragged card is never yanked away mid-drag).
import React, { useCallback, useEffect, useMemo, useRef, useState } from "react";
// Shared assets are laid out per Python module: components/i18n.py brings i18n.js.
import { i18nT } from "../i18n/i18n.js";
import {
  DndContext,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  closestCorners,
  pointerWithin,
  useDroppable,
  useSensor,
  useSensors,
} from "@dnd-kit/core";
import {
  SortableContext,
  arrayMove,
  sortableKeyboardCoordinates,
  useSortable,
  verticalListSortingStrategy,
} from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { DropdownMenu } from "@radix-ui/themes";
import {
  Bug,
  ChevronDown,
  ChevronRight,
  CircleHelp,
  GitPullRequest,
  Lightbulb,
  TriangleAlert,
} from "lucide-react";

const TYPE_ICONS = {
  question: CircleHelp,
  incident: TriangleAlert,
  problem: Bug,
  feature_request: Lightbulb,
  change_request: GitPullRequest,
};
const PRIORITY_COLORS = { urgent: "red", high: "orange", normal: "blue", low: "gray" };
const cardKey = (id) => `card-${id}`;
// Mouse: what is under the pointer, cards before columns. Keyboard: the closest corners.
const collisionDetection = (args) => {
  if (!args.pointerCoordinates) return closestCorners(args);
  const hits = pointerWithin(args);
  const cards = hits.filter((h) => h.data?.droppableContainer?.data?.current?.type === "card");
  if (cards.length) return cards;
  return hits.length ? hits : closestCorners(args);
};
const colKey = (lane, status) => `col-${lane || "all"}-${status}`;

// SLA remaining time: amber in the last 25 %, red when breached; the text says it too.
const SLA_COLORS = { ok: "gray", warning: "amber", breached: "red", paused: "gray", met: "green" };

function SlaBadge({ state, label }) {
  const c = SLA_COLORS[state] || "gray";
  return (
    <span
      data-sla-state={state}
      style={{
        color: c === "gray" ? "var(--gray-11)" : `var(--${c}-12)`,
        background: state === "ok" || state === "paused" ? undefined : `var(--${c}-3)`,
        borderRadius: "4px",
        padding: "0 4px",
        fontWeight: state === "breached" || state === "warning" ? 600 : 400,
      }}
    >
      {"SLA: "}
      {label}
    </span>
  );
}

function PriorityBadge({ priority, label }) {
  const c = PRIORITY_COLORS[priority] || "gray";
  return (
    <span
      style={{
        fontSize: 11,
        fontWeight: 600,
        padding: "1px 6px",
        borderRadius: 4,
        background: `var(--${c}-a3)`,
        border: `1px solid var(--${c}-a7)`,
        color: `var(--${c}-12)`,
      }}
    >
      {label}
    </span>
  );
}

function MoveMenu({ card, columns, onMoveTo, onOpen }) {
  const stop = (e) => e.stopPropagation();
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger onKeyDown={stop} onPointerDown={stop} onClick={stop}>
        <button
          type="button"
          aria-label={tr("Move #{number}", { number: card.number })}
          className="kb-move"
          title={tr("Move to…")}
        >
          {tr("Move to…")} <ChevronDown size={12} aria-hidden="true" />
        </button>
      </DropdownMenu.Trigger>
      <DropdownMenu.Content onKeyDown={stop} onPointerDown={stop} onClick={stop} size="1">
        <DropdownMenu.Label>{tr("Move #{number} to", { number: card.number })}</DropdownMenu.Label>
        {columns
          .filter((c) => c.status !== card.status)
          .map((c) => (
            <DropdownMenu.Item key={c.status} onSelect={() => onMoveTo(card, c.status)}>
              {c.label}
            </DropdownMenu.Item>
          ))}
        {onOpen ? (
          <>
            <DropdownMenu.Separator />
            <DropdownMenu.Item onSelect={() => onOpen(card)}>{tr("Tags and details…")}</DropdownMenu.Item>
          </>
        ) : null}
      </DropdownMenu.Content>
    </DropdownMenu.Root>
  );
}

function CardBody({ card, columns, onMoveTo, onOpen }) {
  const Icon = TYPE_ICONS[card.type] || CircleHelp;
  return (
    <>
      <div style={{ display: "flex", alignItems: "center", gap: 6, fontSize: 12 }}>
        <Icon size={14} aria-label={card.type_label} role="img" />
        <span style={{ fontWeight: 600, color: "var(--gray-11)" }}>#{card.number}</span>
        <PriorityBadge priority={card.priority} label={card.priority_label} />
        <span style={{ marginLeft: "auto", color: "var(--gray-11)" }} title={tr("Age")}>
          {card.age}
        </span>
      </div>
      <div style={{ fontSize: 14, fontWeight: 500, margin: "4px 0", lineHeight: 1.3 }}>
        {card.title}
      </div>
      <div
        style={{
          display: "flex",
          alignItems: "center",
          gap: 6,
          fontSize: 12,
          color: "var(--gray-11)",
          flexWrap: "wrap",
        }}
      >
        <span
          title={card.assignee_name}
          className="kb-assignee"
          aria-label={
            card.assignee_initials ? tr("Assignee {name}", { name: card.assignee_name }) : undefined
          }
        >
          {card.assignee_initials || tr("Unassigned")}
        </span>
        {card.team ? <span>{card.team}</span> : null}
        {card.sla ? (
          <SlaBadge state={card.sla_state} label={card.sla} />
        ) : card.due ? (
          <span
            style={{
              color: card.overdue ? "var(--red-11)" : "var(--gray-11)",
              fontWeight: card.overdue ? 600 : 400,
            }}
          >
            {card.overdue
              ? tr("Overdue {due}", { due: card.due })
              : tr("Due {due}", { due: card.due })}
          </span>
        ) : null}
        {columns ? (
          <span style={{ marginLeft: "auto" }}>
            <MoveMenu card={card} columns={columns} onMoveTo={onMoveTo} onOpen={onOpen} />
          </span>
        ) : null}
      </div>
    </>
  );
}

function SortableCard({ card, lane, columns, onOpen, onMoveTo, draggingRef }) {
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({
    id: cardKey(card.id),
    data: { type: "card", cardId: card.id, status: card.status, lane },
  });
  const style = {
    transform: CSS.Translate.toString(transform),
    transition,
    opacity: isDragging ? 0.4 : 1,
  };
  const onKeyDown = (e) => {
    if (e.key === "Enter" && !draggingRef.current && e.target === e.currentTarget) {
      e.preventDefault();
      onOpen(card);
      return;
    }
    listeners?.onKeyDown?.(e);
  };
  return (
    <div
      ref={setNodeRef}
      style={style}
      className="kb-card"
      {...attributes}
      {...listeners}
      onKeyDown={onKeyDown}
      role="listitem"
      aria-roledescription="card"
      aria-label={`#${card.number} ${card.title}`}
      data-card-id={card.id}
      data-testid={`card-${card.number}`}
      onClick={() => {
        if (!draggingRef.current) onOpen(card);
      }}
    >
      <CardBody card={card} columns={columns} onMoveTo={onMoveTo} onOpen={onOpen} />
    </div>
  );
}

function Cell({ lane, column, cards, children, collapsed }) {
  const { setNodeRef, isOver } = useDroppable({
    id: colKey(lane, column.status),
    data: { type: "column", status: column.status, lane },
  });
  return (
    <div
      ref={setNodeRef}
      role="list"
      aria-label={`${column.label} cards`}
      className="kb-cell"
      style={{
        minHeight: collapsed ? 40 : 80,
        outline: isOver ? "2px dashed var(--accent-8)" : "none",
        outlineOffset: -2,
      }}
    >
      <SortableContext
        items={cards.map((c) => cardKey(c.id))}
        strategy={verticalListSortingStrategy}
      >
        {children}
      </SortableContext>
    </div>
  );
}

function ColumnHeader({ column, onToggle, onSetLimit, canSetLimits }) {
  const over = column.limit > 0 && column.total > column.limit;
  const count = column.limit > 0 ? `${column.total}/${column.limit}` : `${column.total}`;
  return (
    <div className="kb-col-head">
      {column.collapsible ? (
        <button
          type="button"
          className="kb-icon-btn"
          aria-expanded={!column.collapsed}
          aria-label={
            column.collapsed
              ? tr("Expand {column}", { column: column.label })
              : tr("Collapse {column}", { column: column.label })
          }
          onClick={() => onToggle(column.status)}
        >
          {column.collapsed ? <ChevronRight size={14} /> : <ChevronDown size={14} />}
        </button>
      ) : null}
      <h2 style={{ fontSize: 14, fontWeight: 600, margin: 0 }}>{column.label}</h2>
      <span
        className="kb-count"
        data-over={over ? "true" : "false"}
        title={
          column.limit > 0
            ? tr("{total} cards, limit {limit}", { total: column.total, limit: column.limit })
            : tr("{total} cards", { total: column.total })
        }
        style={{
          color: over ? "var(--red-11)" : "var(--gray-11)",
          background: over ? "var(--red-a3)" : "var(--gray-a3)",
        }}
      >
        {count}
      </span>
      {canSetLimits ? (
        <button
          type="button"
          className="kb-link-btn"
          aria-label={tr("WIP limit for {column}", { column: column.label })}
          onClick={() => onSetLimit(column.status)}
        >
          {tr("Limit")}
        </button>
      ) : null}
    </div>
  );
}

// The tab's language (the `locale` prop), read by every part while the board renders.
let boardLocale = "";
const tr = (msgid, params) => i18nT(msgid, boardLocale, params);

export function KanbanBoard(props) {
  boardLocale = props.locale || "";
  const {
    columns = [],
    cardsByStatus = {},
    lanes = [],
    revision = 0,
    feedSeq = 0,
    canSetLimits = false,
    onMove,
    onOpen,
    onShowMore,
    onToggle,
    onSetLimit,
    onFeed,
  } = props;

  // Local order: {status: [card]}; replaced per column when the server sends a new list.
  const [local, setLocal] = useState(() => ({ ...cardsByStatus }));
  const [activeCard, setActiveCard] = useState(null);
  const draggingRef = useRef(false);
  const seenRef = useRef({ ...cardsByStatus });
  const revRef = useRef(revision);
  const pendingRef = useRef(false);

  const syncFromProps = useCallback(
    (force, skip) => {
      const changed = {};
      for (const [status, list] of Object.entries(cardsByStatus)) {
        if (skip && skip.has(status)) continue;
        if (force || seenRef.current[status] !== list) changed[status] = list;
      }
      seenRef.current = { ...cardsByStatus };
      if (Object.keys(changed).length) setLocal((prev) => ({ ...prev, ...changed }));
    },
    [cardsByStatus],
  );

  useEffect(() => {
    const force = revRef.current !== revision;
    if (draggingRef.current) {
      pendingRef.current = pendingRef.current || force || "cols";
      return;
    }
    revRef.current = revision;
    syncFromProps(force);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...Object.values(cardsByStatus), revision]);

  // The live feed: tell the server which changes this board has not applied yet.
  const feedRef = useRef(feedSeq);
  useEffect(() => {
    if (feedSeq !== feedRef.current) {
      feedRef.current = feedSeq;
      if (onFeed) onFeed(feedSeq);
    }
  }, [feedSeq, onFeed]);

  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 5 } }),
    useSensor(KeyboardSensor, {
      coordinateGetter: sortableKeyboardCoordinates,
      keyboardCodes: { start: ["Space"], cancel: ["Escape"], end: ["Space", "Enter"] },
    }),
  );

  const byNumber = useMemo(() => {
    const m = {};
    for (const list of Object.values(local)) for (const c of list || []) m[cardKey(c.id)] = c;
    return m;
  }, [local]);
  const labelOf = useCallback(
    (status) => (columns.find((c) => c.status === status) || {}).label || status,
    [columns],
  );

  const describe = (id) => {
    const c = byNumber[id];
    return c ? `#${c.number}` : tr("card");
  };
  const where = (over) => {
    if (!over) return tr("no column");
    const d = over.data.current || {};
    const list = local[d.status] || [];
    if (d.type === "card") {
      const i = list.findIndex((c) => cardKey(c.id) === over.id);
      return tr("{column}, position {position} of {count}", {
        column: labelOf(d.status),
        position: i + 1,
        count: list.length,
      });
    }
    return `${labelOf(d.status)}`;
  };
  const announcements = {
    onDragStart: ({ active }) =>
      tr(
        "Picked up {card}. Use the arrow keys to move it, Space to drop, Escape to cancel.",
        { card: describe(active.id) },
      ),
    onDragOver: ({ active, over }) =>
      tr("{card} is over {place}.", { card: describe(active.id), place: where(over) }),
    onDragEnd: ({ active, over }) =>
      over
        ? tr("{card} was dropped in {place}.", { card: describe(active.id), place: where(over) })
        : tr("{card} was dropped.", { card: describe(active.id) }),
    onDragCancel: ({ active }) =>
      tr("Moving {card} was cancelled. It is back where it was.", { card: describe(active.id) }),
  };
  const screenReaderInstructions = {
    draggable: tr(
      "To pick up a card, press Space. While dragging, use the arrow keys to move it between " +
        "columns and within a column. Press Space again to drop it, or Escape to cancel. " +
        "Press Enter to open the ticket.",
    ),
  };

  const finishDrag = () => {
    // Let the click that ends a mouse drag pass before cards are clickable again.
    setTimeout(() => {
      draggingRef.current = false;
    }, 0);
    setActiveCard(null);
  };

  const applyPending = () => {
    if (pendingRef.current) {
      const force = revRef.current !== revision;
      revRef.current = revision;
      pendingRef.current = false;
      syncFromProps(force);
    }
  };

  const send = (card, toStatus, list, index) => {
    const before = index > 0 ? String(list[index - 1].id) : "";
    const after = index < list.length - 1 ? String(list[index + 1].id) : "";
    if (onMove) onMove(String(card.id), toStatus, before, after, String(card.version));
  };

  const onDragStart = ({ active }) => {
    draggingRef.current = true;
    setActiveCard(byNumber[active.id] || null);
  };
  const onDragCancel = () => {
    finishDrag();
    applyPending();
  };
  const onDragEnd = ({ active, over, activatorEvent, delta }) => {
    finishDrag();
    const card = byNumber[active.id];
    const d = (over && over.data.current) || {};
    const to = d.status;
    if (!over || !card || !to) {
      applyPending();
      return;
    }
    const from = card.status;
    const source = [...(local[from] || [])];
    const oldIndex = source.findIndex((c) => c.id === card.id);
    let target;
    let newIndex;
    if (from === to) {
      target = source;
      newIndex = d.type === "card" ? target.findIndex((c) => cardKey(c.id) === over.id) : target.length - 1;
      if (newIndex < 0) newIndex = target.length - 1;
      if (newIndex === oldIndex) {
        applyPending();
        return;
      }
      target = arrayMove(target, oldIndex, newIndex);
    } else {
      source.splice(oldIndex, 1);
      target = [...(local[to] || [])];
      newIndex = target.length;
      if (d.type === "card") {
        const i = target.findIndex((c) => cardKey(c.id) === over.id);
        if (i >= 0) {
          const mid = over.rect.top + over.rect.height / 2;
          let below;
          if (activatorEvent && typeof activatorEvent.clientY === "number") {
            below = activatorEvent.clientY + delta.y > mid;
          } else {
            const a = active.rect.current.translated;
            below = a && a.top + a.height / 2 > mid;
          }
          newIndex = below ? i + 1 : i;
        }
      }
      target.splice(newIndex, 0, { ...card, status: to });
    }
    setLocal((prev) => ({ ...prev, [from]: from === to ? target : source, [to]: target }));
    if (pendingRef.current) {
      // Other columns changed on the server during the drag: take them now; the two columns
      // of this drop get the server's answer to the move.
      pendingRef.current = false;
      revRef.current = revision;
      syncFromProps(false, new Set([from, to]));
    }
    send(card, to, target, newIndex);
  };

  const onMoveTo = (card, toStatus) => {
    const target = [...(local[toStatus] || [])];
    target.push({ ...card, status: toStatus });
    send(card, toStatus, target, target.length - 1);
  };
  const open = (card) => onOpen && onOpen(String(card.number));

  const laneList = lanes.length ? lanes : [{ key: "", label: "" }];

  const renderCell = (lane, column) => {
    const all = local[column.status] || [];
    const cards = lane.key ? all.filter((c) => c.lane === lane.key) : all;
    return (
      <Cell key={colKey(lane.key, column.status)} lane={lane.key} column={column} cards={cards} collapsed={column.collapsed}>
        {column.collapsed
          ? null
          : cards.map((c) => (
              <SortableCard
                key={c.id}
                card={c}
                lane={lane.key}
                columns={columns}
                onOpen={open}
                onMoveTo={onMoveTo}
                draggingRef={draggingRef}
              />
            ))}
        {!column.collapsed && cards.length === 0 ? (
          <div className="kb-empty" role="listitem">{tr("No cards")}</div>
        ) : null}
      </Cell>
    );
  };

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={collisionDetection}
      onDragStart={onDragStart}
      onDragEnd={onDragEnd}
      onDragCancel={onDragCancel}
      accessibility={{ announcements, screenReaderInstructions }}
    >
      <div className="kb-board" style={{ "--kb-cols": columns.length }}>
        {laneList.map((lane) => (
          <div key={lane.key || "all"} className="kb-lane">
            {lane.key ? <h2 className="kb-lane-title">{lane.label}</h2> : null}
            <div className="kb-row">
              {columns.map((column) => (
                <section
                  key={column.status}
                  role="region"
                  aria-label={lane.key ? `${column.label}, ${lane.label}` : column.label}
                  className="kb-column"
                  data-status={column.status}
                  data-collapsed={column.collapsed ? "true" : "false"}
                >
                  {lane.key && lane.key !== laneList[0].key ? null : (
                    <ColumnHeader
                      column={column}
                      onToggle={onToggle}
                      onSetLimit={onSetLimit}
                      canSetLimits={canSetLimits}
                    />
                  )}
                  {renderCell(lane, column)}
                  {!column.collapsed && !lane.key && column.total > (local[column.status] || []).length ? (
                    <button
                      type="button"
                      className="kb-more"
                      onClick={() => onShowMore && onShowMore(column.status)}
                    >
                      Show more ({column.total - (local[column.status] || []).length} more)
                    </button>
                  ) : null}
                </section>
              ))}
            </div>
          </div>
        ))}
      </div>
      <DragOverlay>
        {activeCard ? (
          <div className="kb-card kb-overlay">
            <CardBody card={activeCard} />
          </div>
        ) : null}
      </DragOverlay>
    </DndContext>
  );
}
