//! Strongly connected components of the type graph (Tarjan's algorithm, iterative so that a
//! chain of thousands of types cannot overflow the stack). The recursion and alias-cycle passes
//! ask "is this edge inside a cycle?" once per edge, which is "are both ends in one component?".

/// The component of every node of a graph over `0..successors.len()`; two nodes share a
/// component exactly when each reaches the other. Linear in nodes and edges.
pub fn components(successors: &[Vec<usize>]) -> Vec<usize> {
    const UNVISITED: usize = usize::MAX;
    let count = successors.len();
    let mut index = vec![UNVISITED; count];
    let mut low_link = vec![0; count];
    let mut on_stack = vec![false; count];
    let mut component = vec![UNVISITED; count];
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut next_component = 0;
    // (node, how many of its successors have been looked at)
    let mut calls: Vec<(usize, usize)> = Vec::new();
    for root in 0..count {
        if index[root] != UNVISITED {
            continue;
        }
        calls.push((root, 0));
        while let Some(&mut (node, ref mut next_edge)) = calls.last_mut() {
            if *next_edge == 0 && index[node] == UNVISITED {
                index[node] = next_index;
                low_link[node] = next_index;
                next_index += 1;
                stack.push(node);
                on_stack[node] = true;
            }
            if let Some(&successor) = successors[node].get(*next_edge) {
                *next_edge += 1;
                if index[successor] == UNVISITED {
                    calls.push((successor, 0));
                } else if on_stack[successor] {
                    low_link[node] = low_link[node].min(index[successor]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                low_link[parent] = low_link[parent].min(low_link[node]);
            }
            if low_link[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

/// Whether the edge `from → to` lies on a cycle.
pub fn on_cycle(component: &[usize], from: usize, to: usize) -> bool {
    component[from] == component[to]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycles_share_a_component_and_chains_do_not() {
        // 0 → 1 → 2 → 0 is a cycle, 3 → 0 leads into it, 4 loops on itself, 5 is alone.
        let graph = vec![vec![1], vec![2], vec![0], vec![0], vec![4], vec![]];
        let component = components(&graph);
        assert!(on_cycle(&component, 0, 1) && on_cycle(&component, 2, 0));
        assert!(!on_cycle(&component, 3, 0));
        assert!(on_cycle(&component, 4, 4));
        assert_ne!(component[5], component[3]);
    }

    #[test]
    fn a_long_chain_does_not_overflow_the_stack() {
        let count = 200_000;
        let mut graph: Vec<Vec<usize>> = (0..count).map(|n| vec![n + 1]).collect();
        graph[count - 1] = vec![0];
        let component = components(&graph);
        assert!(component.iter().all(|&c| c == component[0]));
    }
}
